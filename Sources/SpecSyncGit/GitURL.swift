/// URL helpers for messages: remote URLs may carry `user:password@`, which must never be shown.
enum GitURL {
    /// `text` with the password part of every `scheme://user:password@` replaced by `***`.
    static func strippingUserInfo(_ text: String) -> String {
        let pattern = /(?<prefix>[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^\/@\s:]*):[^\/@\s]*@/
        return text.replacing(pattern) { match in match.output.prefix + ":***@" }
    }

    /// The port in `scheme://[user@]host:port/…`, nil when none is given (or for scp-like `user@host:path`).
    static func port(of url: String) -> Int? {
        guard let match = url.firstMatch(of: /^[A-Za-z][A-Za-z0-9+.\-]*:\/\/(?:[^\/@]*@)?(?:\[[^\]]*\]|[^\/:]*):(?<port>[0-9]+)/)
        else { return nil }
        return Int(match.output.port)
    }

    /// Whether `host` is an IPv4 or IPv6 address rather than a name.
    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.wholeMatch(of: /[0-9]{1,3}(\.[0-9]{1,3}){3}/) != nil
    }

    /// Whether libgit2 reaches `url` over ssh: `ssh://`, `ssh+git://`, `git+ssh://` or scp-like `user@host:path`.
    static func isSSH(_ url: String) -> Bool {
        let lowered = url.lowercased()
        if lowered.hasPrefix("ssh://") || lowered.hasPrefix("ssh+git://") || lowered.hasPrefix("git+ssh://") { return true }
        return !url.contains("://") && url.wholeMatch(of: /[^\/:@]+@[^\/:]+:.*/) != nil
    }
}
