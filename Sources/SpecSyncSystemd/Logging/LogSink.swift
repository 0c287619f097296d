/// Where formatted log lines go. A value wrapping a closure, so tests capture exactly what a handler
/// writes, and a `TextOutputStream` so swift-log's `StreamLogHandler` can write through it too.
public struct LogSink: TextOutputStream, Sendable {
    private let writeLine: @Sendable (String) -> Void

    /// `write` receives each entry whole, terminating newline included.
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.writeLine = write
    }

    public mutating func write(_ string: String) {
        writeLine(string)
    }

    /// Unbuffered standard error, one entry at a time (see `StandardStream`): journald reads stderr.
    public static let standardError = LogSink { StandardStream.error.write($0) }
}
