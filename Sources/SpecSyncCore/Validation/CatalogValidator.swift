/// Checks that look at all bundles together: Flow Service finds specs by name, so two bundles with
/// the same `name` would fight over one remote spec.
public struct CatalogValidator: Sendable {
    public let layout: BundleLayout

    public init(layout: BundleLayout) { self.layout = layout }

    /// - Parameter knownNames: names of bundles that were not evaluated this time (from the state).
    public func addCrossBundleFindings(to bundles: inout [EvaluatedBundle], knownNames: [BundleID: String] = [:]) {
        var owners: [String: [Int]] = [:]
        var others: [String: [BundleID]] = [:]
        for (index, bundle) in bundles.enumerated() {
            if let name = bundle.body?.name { owners[name, default: []].append(index) }
        }
        for (id, name) in knownNames { others[name, default: []].append(id) }
        for (name, indices) in owners where indices.count + (others[name]?.count ?? 0) > 1 {
            let ids = (indices.map { bundles[$0].id } + (others[name] ?? [])).map(\.source).sorted()
            for index in indices {
                let others = ids.filter { $0 != bundles[index].id.source }
                bundles[index].diagnostics.append(Diagnostic(
                    .error, code: "duplicate-name", file: layout.path(of: .spec, in: bundles[index].id),
                    pointer: JSONPointer("/name"),
                    message: "the spec name '\(name)' is also used by \(others.joined(separator: ", "))",
                    help: "give each bundle a unique name; Flow Service identifies specs by name"))
            }
        }
    }
}
