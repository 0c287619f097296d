/// URL helpers for messages: remote URLs may carry `user:password@`, which must never be shown.
enum GitURL {
    /// `text` with the password part of every `scheme://user:password@` replaced by `***`.
    static func strippingUserInfo(_ text: String) -> String {
        let pattern = /(?<prefix>[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^\/@\s:]*):[^\/@\s]*@/
        return text.replacing(pattern) { match in match.output.prefix + ":***@" }
    }
}
