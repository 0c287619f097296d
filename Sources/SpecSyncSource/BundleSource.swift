import SpecSyncCore

/// Where a set of bundles is read from: a commit (through libgit2) or a folder on disk. The one
/// I/O seam between the core and the files.
public protocol BundleSource: Sendable {
    var layout: BundleLayout { get }
    /// A short description for messages: "commit 1a2b3c4" or "/srv/specs".
    var label: String { get }
    /// Every bundle folder under the layout's root.
    func bundleIDs() async throws -> [BundleID]
    /// The files of each bundle asked for, in the same order; a missing bundle has no files.
    func bundles(_ ids: [BundleID]) async throws -> [SpecBundle]
}

extension BundleSource {
    /// Reads and evaluates every bundle, including the checks across bundles.
    public func evaluateAll(with evaluator: BundleEvaluator) async throws -> [EvaluatedBundle] {
        await evaluator.evaluate(try await bundles(try await bundleIDs()), lanes: BundleEvaluator.defaultLanes)
    }
}
