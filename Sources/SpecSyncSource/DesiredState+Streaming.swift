import SpecSyncCore

extension DesiredState {
    /// The evaluated bundles whose specs are Streaming SDK ones, which register in their own flow spec.
    /// By index: iterating copied every evaluated bundle.
    public var streamingBundles: Set<BundleID> {
        Set(evaluated.indices.compactMap { evaluated[$0].body?.isStreaming == true ? evaluated[$0].id : nil })
    }
}
