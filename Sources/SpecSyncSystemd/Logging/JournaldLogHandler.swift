import Logging

/// Writes entries for journald when standard error is connected to the journal (systemd sets
/// `$JOURNAL_STREAM`): `<6>label: message key=value …`, one line per entry.
///
/// The `<N>` prefix is the syslog priority (sd-daemon.h), which journald strips and stores as the
/// entry's `PRIORITY`, so `journalctl -p warning` works; no timestamp, journald records its own.
public struct JournaldLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: LogSink
    /// Hides known secret values in the message and every metadata value.
    private let redact: MetadataRedactor.TextRedaction

    public init(
        label: String, sink: LogSink = .standardError, metadataProvider: Logger.MetadataProvider? = nil,
        redact: @escaping MetadataRedactor.TextRedaction = { $0 }
    ) {
        self.label = label
        self.sink = sink
        self.redact = redact
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = EntryMetadata.merge(handler: metadata, provider: metadataProvider, event: event, text: redact)
        var line = "<\(Self.priority(event.level))>"
        if !label.isEmpty { line += "\(label): " }
        line += redact(event.message.description).foldedOntoOneLine
        for (key, value) in Self.flatten(merged) {
            line += " \(key)=\(value.logfmtQuoted)"
        }
        var sink = sink
        sink.write(line + "\n")
    }

    /// sd-daemon.h's `SD_CRIT` … `SD_DEBUG`; syslog has no trace level.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Pairs sorted by key; nested dictionaries become dotted keys (`request.id=…`), arrays `[a,b]`.
    static func flatten(_ metadata: Logger.Metadata, prefix: String = "") -> [(String, String)] {
        metadata.sorted { $0.key < $1.key }.flatMap { key, value -> [(String, String)] in
            let name = prefix + key
            if case .dictionary(let nested) = value { return flatten(nested, prefix: name + ".") }
            return [(name, render(value))]
        }
    }

    private static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let elements): "[" + elements.map(render).joined(separator: ",") + "]"
        case .dictionary(let nested):
            "{" + flatten(nested).map { "\($0)=\($1)" }.joined(separator: ",") + "}"
        }
    }
}
