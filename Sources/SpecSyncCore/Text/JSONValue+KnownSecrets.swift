import SpecSyncJSON
extension JSONValue {
    /// A copy in which every known secret value inside a string (member names included) reads
    /// "(sensitive)". Free when the registry is empty.
    public func maskingKnownSecrets(_ registry: SecretRegistry = .shared) -> JSONValue {
        guard !registry.isEmpty else { return self }
        return masked(by: registry)
    }

    private func masked(by registry: SecretRegistry) -> JSONValue {
        switch self {
        case .string(let text):
            return .string(registry.redact(text))
        case .object(let object):
            var masked = JSONObject()
            for key in object.keys {
                masked[registry.redact(key)] = object[key]!.masked(by: registry)
            }
            return .object(masked)
        case .array(let array):
            return .array(array.map { $0.masked(by: registry) })
        default:
            return self
        }
    }
}
