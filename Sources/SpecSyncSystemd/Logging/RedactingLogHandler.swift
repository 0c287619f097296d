import Logging

/// Wraps a handler whose formatting we keep (swift-log's `StreamLogHandler` for `text`) so that its
/// metadata is redacted like the journald and JSON formats': the wrapper merges the provider's
/// metadata itself and hands the base only redacted values.
public struct RedactingLogHandler<Base: LogHandler>: LogHandler {
    public private(set) var base: Base
    public var metadataProvider: Logger.MetadataProvider?

    public init(_ base: Base) {
        var base = base
        self.metadataProvider = base.metadataProvider
        base.metadataProvider = nil
        base.metadata = MetadataRedactor.redact(base.metadata)
        self.base = base
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = MetadataRedactor.redact(newValue) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set {
            guard let newValue else { base[metadataKey: key] = nil; return }
            base[metadataKey: key] = MetadataRedactor.redact([key: newValue])[key]
        }
    }

    public func log(event: LogEvent) {
        var event = event
        var explicit = metadataProvider?.get() ?? [:]
        if let metadata = event.metadata { explicit.merge(metadata) { $1 } }
        event.metadata = explicit.isEmpty ? nil : MetadataRedactor.redact(explicit)
        base.log(event: event)
    }
}
