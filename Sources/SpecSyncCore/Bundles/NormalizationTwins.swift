/// Bundle folders whose names differ only in Unicode normalization (`café` precomposed and
/// decomposed). git keeps them apart, byte for byte; most file systems, editors and people do not,
/// and a target that names its resources after them would see one. Both are errors until one is
/// renamed: a silent choice would leave the other never synced.
public struct NormalizationTwins: Sendable {
    /// Each affected bundle with the others it collides with.
    public let collisions: [BundleID: [BundleID]]

    public init<Bundles: Collection>(_ bundles: Bundles) where Bundles.Element == BundleID {
        // Two names that are both ASCII are twins only if equal, which git does not allow: without a
        // non-ASCII name there is nothing to group (every pass groups every folder, and hashing
        // 100,000 names by canonical equivalence was 9% of a pass with nothing to do).
        guard bundles.contains(where: { !$0.isASCII }) else {
            self.collisions = [:]
            return
        }
        // Swift's `String` equality is canonical equivalence: exactly the grouping wanted.
        var groups: [String: [BundleID]] = [:]
        for bundle in bundles { groups[bundle.source, default: []].append(bundle) }
        var collisions: [BundleID: [BundleID]] = [:]
        for members in groups.values where members.count > 1 {
            for member in members { collisions[member] = members.filter { $0 != member }.sorted() }
        }
        self.collisions = collisions
    }

    public var isEmpty: Bool { collisions.isEmpty }

    /// The error for `bundle`, naming every folder it collides with.
    public func diagnostic(for bundle: BundleID, layout: BundleLayout) -> Diagnostic? {
        guard let others = collisions[bundle] else { return nil }
        let names = ([bundle] + others).map { "'\($0.escapedForDisplay)'" }.joined(separator: " and ")
        return Diagnostic(
            .error, code: "normalization-twin", file: layout.bundleFolder(bundle),
            message: "the bundle folders \(names) differ only in Unicode normalization: git keeps them apart, most file systems and tools see one folder",
            help: "rename one of them (git mv) so that the names differ in more than their byte encoding")
    }
}
