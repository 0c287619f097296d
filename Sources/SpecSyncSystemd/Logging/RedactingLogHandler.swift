import Logging

/// Wraps a handler whose formatting we keep (swift-log's `StreamLogHandler` for `text`) so that its
/// metadata is redacted like the journald and JSON formats': the wrapper merges the provider's
/// metadata itself and hands the base only redacted values, and a message with known secrets hidden.
public struct RedactingLogHandler<Base: LogHandler>: LogHandler {
    public private(set) var base: Base
    public var metadataProvider: Logger.MetadataProvider?
    private let redact: MetadataRedactor.TextRedaction

    public init(_ base: Base, redact: @escaping MetadataRedactor.TextRedaction = { $0 }) {
        var base = base
        self.metadataProvider = base.metadataProvider
        self.redact = redact
        base.metadataProvider = nil
        base.metadata = MetadataRedactor.redact(base.metadata, text: redact)
        self.base = base
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = MetadataRedactor.redact(newValue, text: redact) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set {
            guard let newValue else { base[metadataKey: key] = nil; return }
            base[metadataKey: key] = MetadataRedactor.redact([key: newValue], text: redact)[key]
        }
    }

    public func log(event: LogEvent) {
        var event = event
        var explicit = metadataProvider?.get() ?? [:]
        if let metadata = event.metadata { explicit.merge(metadata) { $1 } }
        if let error = event.error {
            // The base would print the error as is; it goes out as redacted metadata instead.
            explicit["error.message"] = "\(error)"
            explicit["error.type"] = "\(String(reflecting: type(of: error)))"
            event.error = nil
        }
        event.metadata = explicit.isEmpty ? nil : MetadataRedactor.redact(explicit, text: redact)
        event.message = Logger.Message(stringLiteral: redact(event.message.description))
        base.log(event: event)
    }
}
