import SpecSyncJSON
/// The exact body a PUT (or the first POST) sends for a bundle: the spec minus the fields the server
/// owns, completed from the sidecars, in canonical form. Its hash is the bundle's identity.
///
/// Only the canonical bytes are kept: a plan holds the body of every bundle it creates or updates,
/// and a parsed tree takes several times the size of its text (BENCHMARKS.md).
public struct ReplacementBody: Sendable, Hashable {
    public let bundle: BundleID
    /// What goes on the wire.
    public let canonicalBytes: [UInt8]
    /// SHA-256 of `canonicalBytes`, lowercase hex.
    public let hash: String
    /// The spec's `name`, which Flow Service uses to find a spec again.
    public let name: String?
    /// Top-level fields, as a plan of a create summarises the body without reading it back.
    public let fieldCount: Int

    /// Values that came from secrets or are password defaults: never shown, never logged.
    public let sensitivePointers: Set<JSONPointer>
    /// A streaming source's spec (`StreamingSpec`), which registers in the streaming flow spec: told
    /// here, since reading the bytes back to ask cost a parse of every body of a pass.
    public let isStreaming: Bool

    public init(bundle: BundleID, value: JSONValue, sensitivePointers: Set<JSONPointer> = []) {
        self.bundle = bundle
        self.sensitivePointers = sensitivePointers
        // Held until the body's write is done, by every write of a pass at once (105 MB of a first
        // sync of 50,000 by heaptrack, in buffers grown to up to twice their length).
        self.canonicalBytes = value.canonicalBytes.exactlySized
        self.hash = JSONValue.sha256Hex(canonicalBytes)
        self.name = value[JSONPointer("/name")]?.stringValue
        self.fieldCount = value.objectValue?.count ?? 0
        self.isStreaming = StreamingSpec.isStreaming(value)
    }

    /// The body as a JSON value, read back from the canonical bytes (members in canonical order),
    /// for diffs and for APIs that add a member before sending.
    public var value: JSONValue {
        // The bytes were written by our own canonical writer: they always parse.
        (try? JSONParser().parse(canonicalBytes)) ?? .null
    }
}
