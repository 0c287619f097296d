/// A server-side limit on Flow Service requests (`--rate-limit N`), as a gateway applies one: a
/// token bucket refilled at `requestsPerSecond` with a burst of as many, so a client that keeps to
/// the rate is never refused and one over it is refused about as often as it exceeds it. A
/// refused request uses no token. Pure: the caller gives the instant of each arrival.
struct FlowServiceRateLimiter: Sendable {
    let requestsPerSecond: Int
    /// Tokens in the bucket at `updated`, at most `requestsPerSecond`.
    private var tokens: Double
    private var updated: ContinuousClock.Instant?
    private(set) var admitted = 0
    private(set) var refused = 0

    init(requestsPerSecond: Int) {
        precondition(requestsPerSecond >= 1)
        self.requestsPerSecond = requestsPerSecond
        self.tokens = Double(requestsPerSecond)
    }

    /// Takes a token for a request arriving at `now`: nil when admitted, else the `Retry-After` in
    /// whole seconds (at least 1, as the header has no fractions) until the next token.
    mutating func arrive(at now: ContinuousClock.Instant) -> Int? {
        let rate = Double(requestsPerSecond)
        if let updated {
            let (seconds, attoseconds) = (now - updated).components
            tokens = min(rate, tokens + (Double(seconds) + Double(attoseconds) / 1e18) * rate)
        }
        updated = now
        if tokens >= 1 {
            tokens -= 1
            admitted += 1
            return nil
        }
        refused += 1
        let wait = (1 - tokens) / rate
        return max(1, Int(wait.rounded(.up)))
    }
}
