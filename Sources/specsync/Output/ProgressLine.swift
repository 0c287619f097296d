import SpecSyncEngine
import SpecSyncSystemd
import Synchronization

/// One line on a terminal's standard error that shows how far a pass is: rewritten in place.
final class ProgressLine: Sendable {
    private let enabled: Bool
    private let completed = Mutex(0)

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: SyncProgress) {
        guard enabled else { return }
        completed.withLock { completed in
            completed = max(completed, progress.completed)
            StandardStream.error.write("\r\u{1B}[2K[\(completed)/\(progress.total)] \(progress.step.rawValue) \(progress.bundle)")
        }
    }

    func clear() {
        guard enabled else { return }
        StandardStream.error.write("\r\u{1B}[2K")
    }
}
