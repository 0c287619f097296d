import SpecSyncJSON
/// Recognises a Streaming SDK connection spec: one made from the `generic-streaming` template
/// (its `type`, or an `exploreSpec` of type `StreamingConnection`). Such sources hang off the
/// flow spec GenericStreamingAEP rather than RestStorageToAEP, and carry no REST attributes.
public enum StreamingSpec {
    public static let templateType = "generic-streaming"
    public static let exploreType = "StreamingConnection"

    public static func isStreaming(_ body: JSONValue) -> Bool {
        body[JSONPointer("/type")]?.stringValue == templateType
            || body[JSONPointer("/exploreSpec/type")]?.stringValue == exploreType
    }
}
