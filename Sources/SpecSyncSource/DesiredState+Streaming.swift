import SpecSyncCore

extension DesiredState {
    /// The evaluated bundles whose specs are Streaming SDK ones, which register in their own flow spec.
    public var streamingBundles: Set<BundleID> {
        Set(evaluated.lazy.filter { $0.body.map { StreamingSpec.isStreaming($0.value) } ?? false }.map(\.id))
    }
}
