import SpecSyncCore

/// Which bundles a tree diff touched between two commits.
public struct BundleChangeSet: Sendable, Equatable {
    /// Bundles with any added, modified, deleted or renamed file (either side of a rename).
    public var touched: Set<BundleID> = []
    /// New bundle → old bundle, when a connection spec file moved between bundle folders.
    public var renames: [BundleID: BundleID] = [:]
    /// Paths of changed files under the root, by bundle, for messages.
    public var paths: [BundleID: [String]] = [:]

    public init() {}
}
