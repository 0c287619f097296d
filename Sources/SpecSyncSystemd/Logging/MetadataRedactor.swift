import Logging

/// Replaces the values of metadata keys that name a secret, so a credential attached to a log
/// entry by mistake never reaches the journal, whatever the format.
public enum MetadataRedactor {
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

    /// `metadata` with every sensitive key's value replaced, nested dictionaries included.
    public static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var result = metadata
        for (key, value) in metadata {
            if isSensitive(key) {
                result[key] = placeholder
            } else if case .dictionary(let nested) = value {
                result[key] = .dictionary(redact(nested))
            } else if case .array(let elements) = value {
                result[key] = .array(elements.map(redact))
            }
        }
        return result
    }

    private static func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .dictionary(let nested): .dictionary(redact(nested))
        case .array(let elements): .array(elements.map(redact))
        case .string, .stringConvertible: value
        }
    }
}
