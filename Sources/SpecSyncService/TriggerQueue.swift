/// Coalesces triggers: any number of them while a pass runs make exactly one next pass, so passes
/// never overlap and a burst never queues a backlog.
public actor TriggerQueue {
    private var pending: Set<Trigger> = []
    private var waiter: CheckedContinuation<Set<Trigger>?, Never>?
    private var finished = false

    public init() {}

    public func enqueue(_ trigger: Trigger) {
        guard !finished else { return }
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: [trigger])
        } else {
            pending.insert(trigger)
        }
    }

    /// The triggers gathered since the last call, waiting for one if there are none; nil once finished.
    public func next() async -> Set<Trigger>? {
        if !pending.isEmpty {
            defer { pending = [] }
            return pending
        }
        if finished { return nil }
        return await withCheckedContinuation { continuation in
            waiter = continuation
        }
    }

    /// No more passes: wakes the loop so it can end.
    public func finish() {
        finished = true
        pending = []
        waiter?.resume(returning: nil)
        waiter = nil
    }
}
