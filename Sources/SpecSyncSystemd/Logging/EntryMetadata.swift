import Logging

/// The metadata one entry is written with: the handler's, then the provider's, then the call's
/// (later wins), then the event's error, all redacted. The same order as `StreamLogHandler`.
enum EntryMetadata {
    static func merge(
        handler: Logger.Metadata, provider: Logger.MetadataProvider?, event: LogEvent, text: MetadataRedactor.TextRedaction? = nil
    ) -> Logger.Metadata {
        var metadata = handler
        if let provided = provider?.get(), !provided.isEmpty {
            metadata.merge(provided) { $1 }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            metadata.merge(explicit) { $1 }
        }
        if let error = event.error {
            metadata["error.message"] = "\(error)"
            metadata["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return MetadataRedactor.redact(metadata, text: text)
    }
}
