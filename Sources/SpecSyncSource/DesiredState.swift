import SpecSyncCore
import SpecSyncGit

/// What git wants at one commit, as far as a pass needs to know it.
public struct DesiredState: Sendable {
    public let commit: ObjectID
    /// Every bundle folder at `commit`.
    public let bundles: SortedBundleSet
    /// The bundles whose bodies were computed: new, changed, renamed, or pending in the state.
    public let evaluated: [EvaluatedBundle]
    /// Bundles whose files did not change since the state's last synced commit and whose records
    /// are settled; their recorded hashes still hold.
    public let unchanged: SortedBundleSet
    public let renames: [BundleID: BundleID]
    /// How the candidates were found.
    public let detection: Detection

    public enum Detection: Sendable, Equatable {
        /// Tree diff from the state's last synced commit.
        case treeDiff(base: ObjectID)
        /// Every bundle was read: no state, or its commit is gone (force-push, shallow clone).
        case fullScan(reason: String)
    }
}
