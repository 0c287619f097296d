import Foundation
import SpecSyncEngine

/// One line on a terminal's standard error that shows how far a pass is: rewritten in place.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var completed = 0

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: SyncProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        completed = max(completed, progress.completed)
        write("\r\u{1B}[2K[\(completed)/\(progress.total)] \(progress.step.rawValue) \(progress.bundle)")
    }

    func clear() {
        guard enabled else { return }
        write("\r\u{1B}[2K")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
