#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Unbuffered standard error, one `write(2)` per entry: lines from concurrent tasks never
    /// interleave, and nothing is lost in a buffer when the process dies (journald reads stderr).
    public static let standardError = LogSink { line in
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// `write(2)`, named apart from `TextOutputStream.write(_:)`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
