/// Where a bundle stands after a pass, as the `status` label of the `specsync_bundles` gauge.
public enum BundleStatus: String, Sendable, CaseIterable {
    case inSync = "in_sync"
    case pending
    case failed
    case invalid
    case orphaned
}
