/// What one of several daemons of a target does: the leader holds the state lock and runs the
/// passes; a standby waits for the lock and forwards the triggers it receives to the leader.
public enum DaemonRole: String, Sendable, Codable, Equatable {
    case leader
    case standby
}
