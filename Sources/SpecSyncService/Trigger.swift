/// Why a pass should run. Triggers that arrive while a pass runs are merged into the next one.
public enum Trigger: String, Sendable, Hashable, CaseIterable {
    case startup
    /// The watched ref moved (local repository).
    case refChanged
    /// Time to fetch the remote.
    case fetchDue
    /// A verified webhook: fetch and sync now.
    case webhook
    /// SIGHUP: the configuration was reloaded.
    case reload
    /// Time to compare managed specs with the remote.
    case driftCheck
    /// A failing bundle's backoff ran out, or a failed pass waits to be tried again.
    case retryDue
    /// The state lock was lost with its database session: the leader steps down, no pass runs.
    case lockLost
}
