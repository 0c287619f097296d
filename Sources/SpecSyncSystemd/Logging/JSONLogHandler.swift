#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// Writes one JSON object per line for log collectors other than journald:
/// `{"timestamp":"…","level":"info","label":"…","message":"…","metadata":{…}}`, keys in that
/// order, metadata omitted when empty and holding only strings (nested objects and arrays kept).
public struct JSONLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: LogSink
    /// Hides known secret values in the message and every metadata value.
    private let redact: MetadataRedactor.TextRedaction
    private let now: @Sendable () -> Date

    /// `now` is injectable so tests can check exact lines.
    public init(
        label: String, sink: LogSink = .standardError, metadataProvider: Logger.MetadataProvider? = nil,
        redact: @escaping MetadataRedactor.TextRedaction = { $0 }, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.label = label
        self.sink = sink
        self.redact = redact
        self.metadataProvider = metadataProvider
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = EntryMetadata.merge(handler: metadata, provider: metadataProvider, event: event, text: redact)
        var line = #"{"timestamp":""# + RFC3339Timestamp.string(from: now())
        line += #"","level":""# + event.level.rawValue
        line += #"","label":""# + label.jsonEscaped
        line += #"","message":""# + redact(event.message.description).jsonEscaped + "\""
        if !merged.isEmpty {
            line += #","metadata":"# + Self.object(merged)
        }
        var sink = sink
        sink.write(line + "}\n")
    }

    private static func object(_ metadata: Logger.Metadata) -> String {
        "{" + metadata.sorted { $0.key < $1.key }.map { key, value in
            "\"\(key.jsonEscaped)\":\(encode(value))"
        }.joined(separator: ",") + "}"
    }

    private static func encode(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): "\"\(text.jsonEscaped)\""
        case .stringConvertible(let convertible): "\"\(convertible.description.jsonEscaped)\""
        case .array(let elements): "[" + elements.map(encode).joined(separator: ",") + "]"
        case .dictionary(let nested): object(nested)
        }
    }
}
