/// Gates a client's requests by what the server has shown it takes (`AdaptiveLimit`): at most the
/// limit in flight, and once a 429 was answered, starts spaced at the learnt rate. The default for
/// Flow Service and Versori when no fixed `concurrency` is configured; the engine then runs
/// `AdaptiveLimit.bounds.upperBound` write tasks and this decides how many of them are sending.
/// One per client, shared by every request it sends, so that reads, writes and flow spec
/// registrations learn together.
public actor AdaptiveConcurrencyLimiter<C: Clock>: RequestPacing where C.Duration == Duration {
    private var limit: AdaptiveLimit<C.Instant>
    private let clock: C
    private var inFlight = 0
    /// Per request in flight: when it was sent, and whether it waited for its turn.
    private var started: [Int: (at: C.Instant, saturated: Bool)] = [:]
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// When the last paced request started: the next one starts 1 ÷ the rate later, at the rate
    /// of the moment it asks (a turn handed out at a low rate is not kept once the rate recovers).
    private var lastStart: C.Instant?
    /// A configured cap on requests per second (`requestsPerSecond`), whatever is learnt.
    public let maximumRate: Double?

    public init(initial: Int = AdaptiveLimit<C.Instant>.initial, maximumRate: Double? = nil, clock: C) {
        self.limit = AdaptiveLimit(initial: initial)
        self.maximumRate = maximumRate
        self.clock = clock
    }

    /// The decisions so far, for logs and tests.
    public var state: AdaptiveLimit<C.Instant> { limit }

    public func acquire() async throws -> PacingTicket {
        var waited = false
        try Task.checkCancellation()
        while inFlight >= limit.limit {
            waited = true
            await withCheckedContinuation { waiters.append($0) }
            if Task.isCancelled {
                // Woken for a free place it will not take: the next waiter gets it.
                wakeWaiters()
                throw CancellationError()
            }
        }
        inFlight += 1
        var saturated = waited || inFlight >= limit.limit
        if let rate = [limit.rate, maximumRate].compactMap({ $0 }).min() {
            let now = clock.now
            let turn = max(lastStart.map { $0.advanced(by: .seconds(1 / rate)) } ?? now, now)
            lastStart = turn
            if turn > now {
                saturated = true
                do {
                    try await clock.sleep(until: turn, tolerance: nil)
                } catch {
                    release()
                    throw error
                }
            }
        }
        let sequence = limit.send()
        started[sequence] = (clock.now, saturated)
        return PacingTicket(slot: sequence)
    }

    public func finished(_ ticket: PacingTicket, outcome: PacingOutcome) {
        if let start = started.removeValue(forKey: ticket.slot) {
            let now = clock.now
            limit.finished(sequence: ticket.slot, outcome: outcome, latency: start.at.duration(to: now), at: now, saturated: start.saturated)
        }
        release()
    }

    /// A place in flight is free again: wake as many waiters as the (maybe new) limit lets in.
    private func release() {
        inFlight = max(0, inFlight - 1)
        wakeWaiters()
    }

    private func wakeWaiters() {
        var free = limit.limit - inFlight
        while free > 0, !waiters.isEmpty {
            waiters.removeFirst().resume()
            free -= 1
        }
    }
}
