import SpecSyncJSON
/// What a target adds to every body it receives: merge patches (per environment) and the secrets
/// that `$(env:…)`/`$(cred:…)` references resolve to. The empty customization changes nothing.
public struct BodyCustomization: Sendable {
    public var patchAll: JSONValue?
    public var patchBundles: [String: JSONValue]
    public var secrets: SecretLookup?
    /// False where the secrets may legitimately be missing (`validate` in CI): an undefined
    /// reference is then a warning, checked for form only.
    public var undefinedSecretsAreErrors: Bool

    public init(
        patchAll: JSONValue? = nil, patchBundles: [String: JSONValue] = [:], secrets: SecretLookup? = nil,
        undefinedSecretsAreErrors: Bool = true
    ) {
        self.patchAll = patchAll
        self.patchBundles = patchBundles
        self.secrets = secrets
        self.undefinedSecretsAreErrors = undefinedSecretsAreErrors
    }

    public static let none = BodyCustomization()

    /// Patches, then secrets. Returns the pointers of every value that must never be shown, and the
    /// references that could not be resolved.
    func apply(to value: JSONValue, bundle: BundleID) -> (JSONValue, sensitive: Set<JSONPointer>, unresolved: [(JSONPointer, String)]) {
        var result = value
        if let patchAll { result = JSONMergePatch.apply(patchAll, to: result) }
        if let patch = patchBundles[bundle.source] { result = JSONMergePatch.apply(patch, to: result) }
        var sensitive: Set<JSONPointer> = []
        var unresolved: [(JSONPointer, String)] = []
        // One path, pushed and popped: a pointer is built only for what is reported, and only the
        // containers above a resolved reference are rebuilt (this runs for every body).
        var path: [String] = []
        if let resolved = resolve(result, path: &path, sensitive: &sensitive, unresolved: &unresolved) { result = resolved }
        markPasswordDefaults(result, path: &path, into: &sensitive)
        return (result, sensitive, unresolved)
    }

    /// `value` with its secret references resolved; nil when it holds none.
    func resolve(_ value: JSONValue, path: inout [String], sensitive: inout Set<JSONPointer>, unresolved: inout [(JSONPointer, String)]) -> JSONValue? {
        switch value {
        case .string(let text) where text.containsBytes("$("):
            var output = ""
            var rest = text[...]
            var replaced = false
            while let open = rest.firstByteRange(of: "$(") {
                output += rest[..<open.lowerBound]
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { output += rest[open.lowerBound...]; rest = ""; break }
                let reference = after[..<close]
                let parts = reference.split(separator: ":", maxSplits: 1)
                if parts.count == 2, let source = SecretLookup.Source(rawValue: String(parts[0])) {
                    if let secret = secrets?.value(source, String(parts[1])) {
                        output += secret
                    } else {
                        unresolved.append((JSONPointer(tokens: path), "$(\(reference))"))
                    }
                    replaced = true
                } else {
                    output += rest[open.lowerBound...close]  // not ours: kept as written
                }
                rest = after[after.index(after: close)...]
            }
            output += rest
            guard replaced else { return nil }
            sensitive.insert(JSONPointer(tokens: path))
            return .string(output)
        case .array(var array):
            var changed = false
            for index in array.indices {
                path.append(String(index))
                if let resolved = resolve(array[index], path: &path, sensitive: &sensitive, unresolved: &unresolved) {
                    array[index] = resolved
                    changed = true
                }
                path.removeLast()
            }
            return changed ? .array(array) : nil
        case .object(var object):
            var changed = false
            for (key, child) in object.members {
                path.append(key)
                if let resolved = resolve(child, path: &path, sensitive: &sensitive, unresolved: &unresolved) {
                    object[key] = resolved
                    changed = true
                }
                path.removeLast()
            }
            return changed ? .object(object) : nil
        default:
            return nil
        }
    }

    /// A schema property declared `"format": "password"` has a secret `default` (and `example`).
    func markPasswordDefaults(_ value: JSONValue, path: inout [String], into sensitive: inout Set<JSONPointer>) {
        switch value {
        case .object(let object):
            if object["format"] == .string("password") {
                for key in ["default", "example", "const"] where object.contains(key) { sensitive.insert(JSONPointer(tokens: path + [key])) }
            }
            for (key, child) in object.members {
                path.append(key)
                markPasswordDefaults(child, path: &path, into: &sensitive)
                path.removeLast()
            }
        case .array(let array):
            for (index, child) in array.enumerated() {
                path.append(String(index))
                markPasswordDefaults(child, path: &path, into: &sensitive)
                path.removeLast()
            }
        default:
            break
        }
    }
}

extension JSONValue {
    /// A copy with every value at or below a sensitive pointer replaced by "(sensitive)", and every
    /// string that holds a known secret value too: for output. The second rule masks a secret where
    /// the pointers cannot say so, as in the removed side of a diff (a field git no longer has).
    public func masking(_ sensitive: Set<JSONPointer>, at pointer: JSONPointer = .root) -> JSONValue {
        maskingPointers(sensitive, at: pointer).maskingKnownSecrets()
    }

    private func maskingPointers(_ sensitive: Set<JSONPointer>, at pointer: JSONPointer) -> JSONValue {
        if sensitive.contains(pointer) { return .string("(sensitive)") }
        guard sensitive.contains(where: { $0.tokens.starts(with: pointer.tokens) }) else { return self }
        switch self {
        case .object(var object):
            for key in object.keys { object[key] = object[key]!.maskingPointers(sensitive, at: pointer.appending(key)) }
            return .object(object)
        case .array(let array):
            return .array(array.enumerated().map { $0.element.maskingPointers(sensitive, at: pointer.appending($0.offset)) })
        default:
            return self
        }
    }
}
