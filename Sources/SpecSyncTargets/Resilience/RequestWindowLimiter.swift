/// At most `requests` in any `window` as the server counts them, whatever the network does
/// (Flxpoint: 2 per second per token). Each of the `requests` slots is used by one request at a
/// time and only reused `window` after that request's answer arrived. The server saw the request
/// before its answer, and sees the next one after it is sent, so two uses of a slot are always more
/// than `window` apart at the server; with `requests` slots no window can hold more than `requests`.
/// A plain token bucket spaces the sends, which the network can bunch up again on arrival.
public actor RequestWindowLimiter<C: Clock>: RequestPacing where C.Duration == Duration {
    public let requests: Int
    public let window: Duration
    private let clock: C
    /// Per slot: when it may be used again; nil while its request is in flight.
    private var availableAt: [C.Instant?]
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(requests: Int, window: Duration = .seconds(1), clock: C) {
        precondition(requests >= 1 && window > .zero)
        self.requests = requests
        self.window = window
        self.clock = clock
        self.availableAt = Array(repeating: clock.now.advanced(by: .zero - window), count: requests)
    }

    public func acquire() async throws -> PacingTicket {
        while true {
            try Task.checkCancellation()
            let now = clock.now
            if let slot = availableAt.indices.first(where: { availableAt[$0].map { $0 <= now } ?? false }) {
                availableAt[slot] = nil
                return PacingTicket(slot: slot)
            }
            if let earliest = availableAt.compactMap({ $0 }).min() {
                try await clock.sleep(until: earliest, tolerance: nil)
            } else {
                // Every slot is in flight: wait for an answer.
                await withCheckedContinuation { waiters.append($0) }
            }
        }
    }

    public func finished(_ ticket: PacingTicket, outcome: PacingOutcome) {
        availableAt[ticket.slot] = clock.now.advanced(by: window)
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}
