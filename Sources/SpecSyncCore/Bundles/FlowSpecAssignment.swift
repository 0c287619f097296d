import SpecSyncJSON
/// Which flow spec each bundle's spec is added to (its `sourceConnectionSpecIds`): one for all,
/// and any bundle's own.
public struct FlowSpecAssignment: Sendable, Equatable {
    public var defaultID: String?
    /// Flow spec id by bundle, over `defaultID`.
    public var bundles: [String: String]

    public init(defaultID: String? = nil, bundles: [String: String] = [:]) {
        self.defaultID = defaultID
        self.bundles = bundles
    }

    /// True when no spec is added to any flow spec.
    public var isEmpty: Bool { defaultID == nil && bundles.isEmpty }

    public func flowSpec(for bundle: BundleID) -> String? {
        bundles[bundle.source] ?? defaultID
    }

    /// Identifies the assignment: the state remembers which one its list of waiting specs follows.
    public var fingerprint: String {
        var text = "default=\(defaultID ?? "")"
        for bundle in bundles.keys.sorted() { text += "\n\(bundle)=\(bundles[bundle]!)" }
        return JSONValue.sha256Hex(Array(text.utf8))
    }
}
