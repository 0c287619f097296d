import SpecSyncJSON
/// Which flow spec each bundle's spec is added to (its `sourceConnectionSpecIds`): one for all,
/// and any bundle's own. Streaming SDK specs go to their own default (GenericStreamingAEP).
public struct FlowSpecAssignment: Sendable, Equatable {
    public static let restStorageToAEP = "6499120c-0b15-42dc-936e-847ea3c24d72"
    public static let genericStreamingAEP = "e77fde5a-22a8-11ed-861d-0242ac120002"

    public var defaultID: String?
    /// Where Streaming SDK specs go when no bundle entry names one.
    public var streamingID: String?
    /// Flow spec id by bundle, over `defaultID` and `streamingID`.
    public var bundles: [String: String]

    public init(defaultID: String? = nil, streamingID: String? = nil, bundles: [String: String] = [:]) {
        self.defaultID = defaultID
        self.streamingID = streamingID
        self.bundles = bundles
    }

    /// True when no spec is added to any flow spec.
    public var isEmpty: Bool { defaultID == nil && streamingID == nil && bundles.isEmpty }

    /// `streaming`: the bundle's spec is a Streaming SDK one (`StreamingSpec.isStreaming`).
    public func flowSpec(for bundle: BundleID, streaming: Bool = false) -> String? {
        bundles[bundle.source] ?? (streaming ? streamingID : defaultID)
    }

    /// Why the bundle goes to that flow spec, in words for `plan`.
    public func reason(for bundle: BundleID, streaming: Bool) -> String {
        if bundles[bundle.source] != nil { return "named for this bundle in flowSpecBundles" }
        if streaming {
            return streamingID == Self.genericStreamingAEP ? "GenericStreamingAEP, for Streaming SDK specs" : "the flow spec for Streaming SDK specs"
        }
        return defaultID == Self.restStorageToAEP ? "RestStorageToAEP, for batch sources" : "flowSpecId"
    }

    /// Identifies the assignment: the state remembers which one its list of waiting specs follows.
    public var fingerprint: String {
        var text = "default=\(defaultID ?? "")"
        if let streamingID { text += "\nstreaming=\(streamingID)" }
        for bundle in bundles.keys.sorted() { text += "\n\(bundle)=\(bundles[bundle]!)" }
        return JSONValue.sha256Hex(Array(text.utf8))
    }
}
