import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An OpenSSH known_hosts file, read by specsync itself (libgit2 1.5.1 only reads `$HOME/.ssh/known_hosts`,
/// which a hardened systemd unit does not have). Understands plain and hashed (`|1|salt|hash`) host names,
/// `[host]:port`, `*`/`?` wildcards, `!` negation and `@revoked`; `@cert-authority` lines are skipped.
public struct KnownHosts: Sendable {
    /// What the file says about a host's key.
    public enum Verdict: Sendable, Equatable {
        case trusted
        /// The host is listed, with other keys (on these lines): the key changed.
        case changed(lines: [Int])
        /// The host is not listed at all.
        case unknown
        /// The key is listed as `@revoked` (on this line).
        case revoked(line: Int)
    }

    struct Entry: Sendable {
        let line: Int
        let patterns: [String]
        let keyType: String
        let keySHA256: [UInt8]
        let revoked: Bool
    }

    public let path: String
    let entries: [Entry]

    /// Reads `path`; a file that cannot be read is an error naming it.
    public init(path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw GitError(
                operation: "read the known hosts file \(path)", code: -1, errorClass: 0,
                message: "cannot read it (\(error)); check repository.knownHosts and that specsync may read the file")
        }
        self.init(path: path, text: text)
    }

    init(path: String, text: String) {
        self.path = path
        var entries: [Entry] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }  // @cert-authority: certificates are not used
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let key = Data(base64Encoded: fields[2]) else { continue }
            entries.append(
                Entry(
                    line: index + 1, patterns: fields[0].split(separator: ",").map(String.init), keyType: fields[1],
                    keySHA256: Array(SHA256.hash(data: key)), revoked: revoked))
        }
        self.entries = entries
    }

    /// Checks the key whose SHA-256 is `keySHA256` for `host` on `port`.
    public func verdict(host: String, port: Int, keySHA256: [UInt8]) -> Verdict {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        let matching = entries.filter { Self.matches($0.patterns, name: name) }
        if let revoked = matching.first(where: { $0.revoked && $0.keySHA256 == keySHA256 }) {
            return .revoked(line: revoked.line)
        }
        if matching.contains(where: { !$0.revoked && $0.keySHA256 == keySHA256 }) { return .trusted }
        let others = matching.filter { !$0.revoked }.map(\.line)
        return others.isEmpty ? .unknown : .changed(lines: others)
    }

    /// A host name list matches when one pattern does and no negated one does.
    static func matches(_ patterns: [String], name: String) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if wildcard(String(pattern.dropFirst()), matches: name) { return false }
            } else if pattern.hasPrefix("|1|") {
                if hashed(pattern, matches: name) { matched = true }
            } else if wildcard(pattern, matches: name) {
                matched = true
            }
        }
        return matched
    }

    /// `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as `HashKnownHosts yes` writes.
    static func hashed(_ pattern: String, matches name: String) -> Bool {
        let parts = pattern.dropFirst(3).split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2, let salt = Data(base64Encoded: String(parts[0])),
            let expected = Data(base64Encoded: String(parts[1]))
        else { return false }
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.utf8), using: SymmetricKey(data: salt))
        return Data(code) == expected
    }

    /// OpenSSH's pattern language: `*` any run, `?` one character; host names compare case-insensitively.
    static func wildcard(_ pattern: String, matches name: String) -> Bool {
        let pattern = Array(pattern.lowercased().utf8)
        let name = Array(name.lowercased().utf8)
        var p = 0
        var n = 0
        var star: Int?
        var resume = 0
        while n < name.count {
            if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == name[n]) {
                p += 1
                n += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                star = p
                resume = n
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                n = resume
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    /// `SHA256:…` as OpenSSH prints fingerprints (unpadded base64).
    public static func fingerprint(_ sha256: [UInt8]) -> String {
        "SHA256:" + Data(sha256).base64EncodedString().replacing("=", with: "")
    }
}
