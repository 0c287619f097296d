/// The daemon's `verify.afterSync` queue: one verification batch at a time (they share the
/// ledger), each started once the one before it ends, none on the path of a pass, so a slow chain
/// (a dataflow run awaited for minutes) never holds up the next pass.
actor AfterSyncVerifier {
    private var tail: Task<Void, Never>?
    private var startedUp = false

    /// Queues `batch` behind the batches already queued; returns at once.
    func enqueue(_ batch: @escaping @Sendable () async -> Void) {
        let previous = tail
        tail = Task {
            await previous?.value
            await batch()
        }
    }

    /// True the first time only: the first pass's batch deletes what a killed process left in the
    /// ledger even when the pass wrote nothing to verify.
    func takeStartUp() -> Bool {
        defer { startedUp = true }
        return !startedUp
    }
}
