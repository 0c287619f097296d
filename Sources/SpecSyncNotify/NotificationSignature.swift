import Crypto

/// `X-Specsync-Signature: sha256=<hex HMAC-SHA256 of the body>`, the scheme GitHub uses for its
/// hooks, so a receiver can check that a notification comes from someone holding the secret.
public enum NotificationSignature {
    public static let header = "X-Specsync-Signature"

    public static func value(body: [UInt8], secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("sha256=".utf8)
        for byte in code { text += [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }
}
