import Logging

/// Replaces the values of metadata keys that name a secret, so a credential attached to a log
/// entry by mistake never reaches the journal, whatever the format; and, through `text`, every
/// known secret value inside any value (the process's `SecretRegistry`, handed in by the binary).
public enum MetadataRedactor {
    /// Hides known secret values in one piece of text.
    public typealias TextRedaction = @Sendable (String) -> String

    /// What a redacted value reads as; the same wording as `Secret`'s description.
    public static let placeholder: Logger.MetadataValue = "(sensitive)"

    /// Key fragments that mark a value as sensitive, matched case-insensitively anywhere in the key
    /// (`client_secret`, `ims.accessToken`, `Authorization`). Over-redacting a harmless
    /// `token.expiresIn` is the cheaper mistake.
    public static let sensitiveFragments = ["secret", "token", "password", "passwd", "authorization"]

    public static func isSensitive(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return sensitiveFragments.contains { lowered.contains($0) }
    }

    /// `metadata` with every sensitive key's value replaced, nested dictionaries included, and
    /// `text` applied to every other value.
    public static func redact(_ metadata: Logger.Metadata, text: TextRedaction? = nil) -> Logger.Metadata {
        var result = metadata
        for (key, value) in metadata {
            result[key] = isSensitive(key) ? placeholder : redact(value, text: text)
        }
        return result
    }

    private static func redact(_ value: Logger.MetadataValue, text: TextRedaction?) -> Logger.MetadataValue {
        switch value {
        case .dictionary(let nested): .dictionary(redact(nested, text: text))
        case .array(let elements): .array(elements.map { redact($0, text: text) })
        case .string(let string): text.map { .string($0(string)) } ?? value
        case .stringConvertible(let convertible): text.map { .string($0(convertible.description)) } ?? value
        }
    }
}
