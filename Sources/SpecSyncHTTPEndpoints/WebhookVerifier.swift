import Crypto

/// Verifies that a git hosting webhook is really from the host, so that only the host can make the
/// daemon fetch and sync early. A forged hook could do no more than trigger a pass, but unverified
/// triggers are an easy way to hammer the remote and the target APIs.
public struct WebhookVerifier: Sendable {
    /// What the check concluded; the reason is safe to show the caller and to log.
    public enum Verdict: Sendable, Equatable {
        /// Verified; `provider` is "github" or "gitlab".
        case accepted(provider: String)
        case rejected(reason: String)
    }

    /// Plain bytes rather than `SymmetricKey`, which is not `Sendable`; the key is rebuilt per hook.
    private let secret: [UInt8]
    /// SHA-256 of the secret: GitLab sends the token itself, and comparing digests keeps the
    /// comparison fixed-length whatever the caller sends.
    private let secretDigest: [UInt8]

    public init(secret: String) {
        self.secret = Array(secret.utf8)
        secretDigest = Array(SHA256.hash(data: Array(secret.utf8)))
    }

    /// GitHub (and Gitea, Forgejo): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
    /// GitLab: `X-Gitlab-Token: <secret>`. Both compared in constant time; anything else is rejected.
    /// Header names are matched case-insensitively; when both are present GitHub's wins.
    public func verify(headers: [(name: String, value: String)], body: [UInt8]) -> Verdict {
        // An empty secret would make GitLab's check pass for an empty token: refuse rather than guess.
        guard !secret.isEmpty else { return .rejected(reason: "webhook secret is empty") }
        if let signature = Self.value(of: "x-hub-signature-256", in: headers) {
            return verifyGitHub(signature: signature, body: body)
        }
        if let token = Self.value(of: "x-gitlab-token", in: headers) {
            return verifyGitLab(token: token)
        }
        return .rejected(reason: "unsigned webhook: expected X-Hub-Signature-256 or X-Gitlab-Token")
    }

    private func verifyGitHub(signature: String, body: [UInt8]) -> Verdict {
        let trimmed = signature.trimmingASCIISpaces()
        guard trimmed.hasPrefix("sha256="),
            let mac = Self.hexBytes(trimmed.dropFirst("sha256=".count)),
            mac.count == SHA256.byteCount
        else {
            return .rejected(reason: "malformed X-Hub-Signature-256: expected sha256=<64 hex digits>")
        }
        let expected = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        guard ConstantTime.equals(Array(expected), mac) else {
            return .rejected(reason: "signature mismatch")
        }
        return .accepted(provider: "github")
    }

    private func verifyGitLab(token: String) -> Verdict {
        let digest = SHA256.hash(data: Array(token.utf8))
        guard ConstantTime.equals(Array(digest), secretDigest) else {
            return .rejected(reason: "token mismatch")
        }
        return .accepted(provider: "gitlab")
    }

    private static func value(of name: String, in headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }

    /// Lower- or upper-case hex to bytes; nil for an odd length or a non-hex digit.
    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The secret must never reach a log line or a crash report, whichever way the value is printed.
extension WebhookVerifier: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "(sensitive)" }
    public var debugDescription: String { "WebhookVerifier(sensitive)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension String {
    /// Without leading and trailing spaces and tabs, which some proxies add around header values.
    fileprivate func trimmingASCIISpaces() -> Substring {
        var view = self[...]
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return view
    }
}
