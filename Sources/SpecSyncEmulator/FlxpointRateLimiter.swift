/// Flxpoint's documented "2 requests/s per token", enforced over a sliding second at arrival: a
/// request is refused when its token already had `limit` accepted requests in the trailing second.
/// Refused requests do not use up the allowance, so a client that waits `Retry-After` gets through.
/// Every arrival is also recorded (accepted or not, per presented token) so tests can check that a
/// client paced itself, rather than only that the server coped.
struct FlxpointRateLimiter: Sendable {
    static let window: Duration = .seconds(1)

    let limit: Int
    /// Accepted arrivals per token, trimmed to the trailing window.
    private var accepted: [String: [ContinuousClock.Instant]] = [:]
    /// Every arrival per token, in order.
    private var arrivals: [String: [ContinuousClock.Instant]] = [:]
    private(set) var requests = 0
    private(set) var throttled = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Records an arrival; nil when accepted, else the `Retry-After` in whole seconds (at least 1).
    mutating func arrive(token: String, at now: ContinuousClock.Instant) -> Int? {
        requests += 1
        arrivals[token, default: []].append(now)
        var recent = accepted[token, default: []].filter { now - $0 < Self.window }
        defer { accepted[token] = recent }
        guard recent.count >= max(limit, 0) else {
            recent.append(now)
            return nil
        }
        throttled += 1
        // The earliest moment a slot frees up: when the oldest request that must leave does.
        let wait = recent.isEmpty || limit <= 0 ? Self.window : recent[recent.count - limit] + Self.window - now
        let (seconds, attoseconds) = wait.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }

    /// The most arrivals of one token within any half-open second [t, t+1s).
    var busiestSecond: Int {
        arrivals.values.map { Self.maxArrivals(in: $0, window: Self.window) }.max() ?? 0
    }

    /// Seconds from the first to the last arrival of the busiest token: with the number of its
    /// requests, the rate it kept up (`(count - 1) / span`).
    var busiestSpan: (requests: Int, seconds: Double) {
        guard let instants = arrivals.values.max(by: { $0.count < $1.count }), let first = instants.min(), let last = instants.max()
        else { return (0, 0) }
        let (seconds, attoseconds) = first.duration(to: last).components
        return (instants.count, Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// The most instants in any half-open window [t, t + window). The busiest window can always be
    /// moved to start at an instant, so it is enough to count forward from each one.
    static func maxArrivals<Instant: InstantProtocol>(in instants: [Instant], window: Instant.Duration) -> Int {
        let sorted = instants.sorted()
        var best = 0
        var end = 0
        for start in sorted.indices {
            end = max(end, start)
            while end < sorted.count, sorted[end] < sorted[start].advanced(by: window) { end += 1 }
            best = max(best, end - start)
        }
        return best
    }
}
