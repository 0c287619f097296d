import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses and builds the process's log handlers: the format asked for, else journald's when
/// standard error is the journal, else swift-log's text lines. Every format redacts secrets.
public enum LoggingBootstrap {
    /// A factory for `LoggingSystem.bootstrap`. `sink` is where lines go (tests capture it);
    /// `redact` hides known secret values in messages and metadata values.
    public static func makeFactory(
        format: LogFormat?, level: Logger.Level, environment: [String: String], sink: LogSink = .standardError,
        redact: @escaping MetadataRedactor.TextRedaction = { $0 }
    ) -> @Sendable (String) -> any LogHandler {
        let resolved = resolvedFormat(format, environment: environment)
        return { label in
            let provider = LoggingSystem.metadataProvider
            switch resolved {
            case .journald:
                var handler = JournaldLogHandler(label: label, sink: sink, metadataProvider: provider, redact: redact)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label, sink: sink, metadataProvider: provider, redact: redact)
                handler.logLevel = level
                return handler
            case .text:
                var handler = RedactingLogHandler(
                    StreamLogHandler(label: label, stream: sink, metadataProvider: provider), redact: redact)
                handler.logLevel = level
                return handler
            }
        }
    }

    /// Bootstraps swift-log once for the process with `makeFactory`'s handlers.
    public static func bootstrap(
        format: LogFormat?, level: Logger.Level, environment: [String: String], redact: @escaping MetadataRedactor.TextRedaction = { $0 }
    ) {
        LoggingSystem.bootstrap(makeFactory(format: format, level: level, environment: environment, redact: redact))
    }

    /// `format` when given; otherwise journald when standard error is the journal, else text.
    public static func resolvedFormat(_ format: LogFormat?, environment: [String: String]) -> LogFormat {
        if let format { return format }
        return isJournalStream(environment: environment, descriptor: 2) ? .journald : .text
    }

    /// Whether `descriptor` is the stream systemd connected to the journal. `$JOURNAL_STREAM` is
    /// `<device>:<inode>` of that stream; it is inherited by children whose stderr may have been
    /// redirected since (`specsync … 2>file` from a service's shell), so the numbers are compared
    /// with the descriptor's own, as systemd.exec(5) advises.
    public static func isJournalStream(environment: [String: String], descriptor: Int32) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
