import SpecSyncHTTPEndpoints
import SpecSyncPostgres
import Synchronization

/// This instance's role among the daemons of one target, read from any thread: the webhook
/// handler and the signal watcher forward triggers while it stands by, the listener hands the
/// leader what standbys forwarded.
final class Leadership: Sendable {
    private struct State {
        var role: DaemonRole?
        var channel: PostgresTriggerChannel?
        var hasStoodBy = false
    }

    private let state = Mutex(State())

    func start(channel: PostgresTriggerChannel?) { state.withLock { $0.channel = channel } }

    func setRole(_ role: DaemonRole) {
        state.withLock { state in
            state.role = role
            if role == .standby { state.hasStoodBy = true }
        }
    }

    var role: DaemonRole? { state.withLock { $0.role } }
    /// Whether this instance stood by before it led.
    var hasStoodBy: Bool { state.withLock { $0.hasStoodBy } }

    /// The channel to the leader while standing by; nil while leading or without one.
    var standbyChannel: PostgresTriggerChannel? {
        state.withLock { $0.role == .standby ? $0.channel : nil }
    }
}
