import SpecSyncJSON
extension BodyCustomization {
    /// `value` with every `$(env:…)`/`$(cred:…)` reference resolved through `secrets` (each value
    /// found is registered as a secret), and the references that could not be: for documents
    /// other than specs that take the same references, such as `preview`'s input file.
    public func resolvingReferences(in value: JSONValue) -> (JSONValue, unresolved: [(pointer: JSONPointer, reference: String)]) {
        var path: [String] = []
        var sensitive: Set<JSONPointer> = []
        var unresolved: [(JSONPointer, String)] = []
        let resolved = resolve(value, path: &path, sensitive: &sensitive, unresolved: &unresolved) ?? value
        return (resolved, unresolved.map { (pointer: $0.0, reference: $0.1) })
    }
}
