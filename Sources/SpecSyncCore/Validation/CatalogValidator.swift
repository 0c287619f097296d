import SpecSyncJSON
/// Checks that look at all bundles together: every target finds its resources by name, so two
/// bundles with the same `name` would fight over one remote resource. Versori names are unique per
/// connector only, so there the connector is part of the key.
public struct CatalogValidator: Sendable {
    public let layout: BundleLayout

    public init(layout: BundleLayout) { self.layout = layout }

    /// - Parameter knownNames: names of bundles that were not evaluated this time (from the state).
    public func addCrossBundleFindings(to bundles: inout [EvaluatedBundle], knownNames: [BundleID: String] = [:]) {
        var owners: [String: [Int]] = [:]
        var others: [String: [BundleID]] = [:]
        func key(_ id: BundleID, _ name: String) -> String { (layout.group(of: id).map { $0 + "/" } ?? "") + name }
        for (index, bundle) in bundles.enumerated() {
            if let name = bundle.body?.name { owners[key(bundle.id, name), default: []].append(index) }
        }
        for (id, name) in knownNames { others[key(id, name), default: []].append(id) }
        for (scopedName, indices) in owners where indices.count + (others[scopedName]?.count ?? 0) > 1 {
            // A name that came from a secret is not repeated in the message.
            let first = bundles[indices[0]].body
            let name = first?.sensitivePointers.contains(JSONPointer("/name")) == true ? "(sensitive)" : first?.name ?? scopedName
            let ids = (indices.map { bundles[$0].id } + (others[scopedName] ?? [])).map(\.source).sorted()
            for index in indices {
                let others = ids.filter { $0 != bundles[index].id.source }
                bundles[index].diagnostics.append(Diagnostic(
                    .error, code: "duplicate-name", file: layout.path(of: .spec, in: bundles[index].id),
                    pointer: JSONPointer("/name"),
                    message: "the name '\(name)' is also used by \(others.joined(separator: ", "))",
                    help: "give each bundle a unique name; specsync finds a \(layout.resource.noun) by its name"))
            }
        }
    }

    /// Marks every bundle whose folder name has a normalization twin among `present` (all bundles
    /// of the commit, evaluated or not).
    public func addNormalizationFindings(to bundles: inout [EvaluatedBundle], present: some Collection<BundleID>) {
        addNormalizationFindings(to: &bundles, twins: NormalizationTwins(present))
    }

    /// The same, with the twins already found among the folders.
    public func addNormalizationFindings(to bundles: inout [EvaluatedBundle], twins: NormalizationTwins) {
        guard !twins.isEmpty else { return }
        for index in bundles.indices {
            if let diagnostic = twins.diagnostic(for: bundles[index].id, layout: layout) { bundles[index].diagnostics.append(diagnostic) }
        }
    }
}
