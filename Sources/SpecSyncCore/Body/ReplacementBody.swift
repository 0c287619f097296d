/// The exact body a PUT (or the first POST) sends for a bundle: the spec minus the fields the server
/// owns, completed from the sidecars, in canonical form. Its hash is the bundle's identity.
public struct ReplacementBody: Sendable, Hashable {
    public let bundle: BundleID
    /// The body with members in written order, for display and diffs.
    public let value: JSONValue
    /// What goes on the wire.
    public let canonicalBytes: [UInt8]
    /// SHA-256 of `canonicalBytes`, lowercase hex.
    public let hash: String

    /// Values that came from secrets or are password defaults: never shown, never logged.
    public let sensitivePointers: Set<JSONPointer>

    public init(bundle: BundleID, value: JSONValue, sensitivePointers: Set<JSONPointer> = []) {
        self.bundle = bundle
        self.value = value
        self.sensitivePointers = sensitivePointers
        self.canonicalBytes = value.canonicalBytes
        self.hash = JSONValue.sha256Hex(canonicalBytes)
    }

    /// The spec's `name`, which Flow Service uses to find a spec again.
    public var name: String? { value[JSONPointer("/name")]?.stringValue }
}
