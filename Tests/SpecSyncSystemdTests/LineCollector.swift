import Foundation
import SpecSyncSystemd

/// Collects what a log handler writes, for exact comparisons.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var written: [String] = []

    var sink: LogSink {
        LogSink { [self] text in lock.withLock { written.append(text) } }
    }

    /// Everything written, in order, each entry whole.
    var entries: [String] { lock.withLock { written } }

    var text: String { entries.joined() }
}
