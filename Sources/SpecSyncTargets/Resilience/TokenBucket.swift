/// A rate limit as a pure state machine (the generic cell rate algorithm): requests may go out at
/// `rate` per second on average, with up to `burst` at once.
public struct TokenBucket<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public let interval: Duration
    public let burst: Int
    /// When the bucket is next completely empty of debt.
    private var theoreticalArrival: Instant?

    public init(ratePerSecond: Double, burst: Int = 1) {
        precondition(ratePerSecond > 0 && burst >= 1)
        self.interval = .seconds(1 / ratePerSecond)
        self.burst = burst
    }

    /// Reserves a slot for a request wanting to go at `now`; returns how long to wait before sending.
    public mutating func reserve(at now: Instant) -> Duration {
        let arrival = theoreticalArrival.map { max($0, now) } ?? now
        let allowance = interval * (burst - 1)
        let earliest = arrival.advanced(by: .zero - allowance)
        let wait = earliest > now ? now.duration(to: earliest) : .zero
        theoreticalArrival = arrival.advanced(by: interval)
        return wait
    }
}

/// Paces requests through a token bucket, waiting on a clock. One per credential that is limited.
public actor RequestPacer<C: Clock>: RequestPacing where C.Duration == Duration {
    private var bucket: TokenBucket<C.Instant>
    private let clock: C

    public init(ratePerSecond: Double, burst: Int = 1, clock: C) {
        self.bucket = TokenBucket(ratePerSecond: ratePerSecond, burst: burst)
        self.clock = clock
    }

    public func acquire() async throws -> PacingTicket {
        let wait = bucket.reserve(at: clock.now)
        if wait > .zero { try await clock.sleep(for: wait) }
        return PacingTicket(slot: 0)
    }

    /// A token bucket paces starts only.
    public func finished(_ ticket: PacingTicket, outcome: PacingOutcome) {}
}

/// Something that makes a request wait for its turn, and may want to know when it is over.
public protocol RequestPacing: Sendable {
    /// Waits until the request may be sent.
    func acquire() async throws -> PacingTicket
    /// The answer (or the failure) is in: the adaptive limiter learns from its status and latency.
    func finished(_ ticket: PacingTicket, outcome: PacingOutcome) async
}

/// A request's turn, handed back when it is over.
public struct PacingTicket: Sendable, Equatable {
    /// The pacer's own number for it: a slot of a window limiter, the request's number for the
    /// adaptive limiter.
    public let slot: Int
}

/// How a paced request ended.
public enum PacingOutcome: Sendable, Equatable {
    /// The server answered with this status.
    case answered(Int)
    /// No complete answer (refused, reset, timed out, cancelled).
    case failed
}
