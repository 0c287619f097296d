import SpecSyncJSON
extension JSONValue {
    /// A copy in which every known secret value inside a string (member names included) reads
    /// "(sensitive)". Free when the registry is empty.
    public func maskingKnownSecrets(_ registry: SecretRegistry = .shared) -> JSONValue {
        // Most bodies hold no secret: looking costs a byte search per string, where masking
        // rebuilt every object and array of the tree.
        guard !registry.isEmpty, holdsKnownSecret(registry) else { return self }
        return masked(by: registry)
    }

    /// Whether `masked(by:)` would change a string or a member name.
    private func holdsKnownSecret(_ registry: SecretRegistry) -> Bool {
        switch self {
        case .string(let text):
            return registry.appears(in: text)
        case .object(let object):
            return object.members.contains { registry.appears(in: $0.key) || $0.value.holdsKnownSecret(registry) }
        case .array(let array):
            return array.contains { $0.holdsKnownSecret(registry) }
        default:
            return false
        }
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
