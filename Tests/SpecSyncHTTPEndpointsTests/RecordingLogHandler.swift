import Logging
import Synchronization

/// Keeps every log record in memory, so tests can check what the server logs, and what it never
/// logs (secrets, signatures).
struct RecordingLogHandler: LogHandler {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// Message and metadata as one string, to search for things that must not be there.
        var flattened: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    final class Store: Sendable {
        private let records = Mutex<[Record]>([])

        func append(_ record: Record) { records.withLock { $0.append(record) } }
        var all: [Record] { records.withLock { $0 } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        for (key, value) in event.metadata ?? [:] { merged[key] = value }
        store.append(
            Record(
                level: event.level, message: event.message.description,
                metadata: merged.mapValues { $0.description }))
    }
}
