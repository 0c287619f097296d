/// What the emulator saw, for tests and demos to assert on: how often each route answered what,
/// how many writes landed, how many answers were lost, and how fast requests arrived.
///
/// Request keys are "METHOD kind STATUS", where kind is the path's resource segment, singular when
/// an id follows: "POST connectionSpecs 201", "PUT connectionSpec 200", "GET connectionSpecs 200"
/// (list), "GET flowSpec 200", "POST token 200". Flxpoint and Versori routes are "flxpointConnections",
/// "flxpointConnection", "versoriConnections" and "versoriConnection" ("PUT flxpointConnection 200").
/// Control routes (`/__emulator/…`) are not counted.
public struct EmulatorStatistics: Sendable, Codable, Equatable {
    /// One bucket of the arrival histogram.
    public struct SecondCount: Sendable, Codable, Equatable {
        /// Unix time in whole seconds.
        public var second: Int64
        public var count: Int
    }

    public var requests: [String: Int] = [:]
    /// Access tokens IMS handed out.
    public var tokensIssued = 0
    /// POST and PUT requests on specs that succeeded (2xx), whether or not their answer was lost.
    public var writes = 0
    /// Requests (of any API) whose connection was closed instead of answered.
    public var droppedAfterApplying = 0
    /// Of those, successful writes: applied on the server, unknown to the client.
    public var droppedWrites = 0
    /// The most Flow Service requests in flight at once (latency included).
    public var maxConcurrentRequests = 0
    /// Flow Service request start times per second, ascending; seconds without requests are absent.
    public var requestStartsPerSecond: [SecondCount] = []
    /// Unix time (fractional seconds) at which the last Flow Service answer left its handler: the
    /// benchmarks subtract it from a client's exit to see how long the client took to finish.
    public var lastFlowServiceAnswerAt: Double?
    /// Flow Service requests refused with 429 by the rate limit (`--rate-limit`; injected 429s are
    /// not counted here).
    public var rateLimited = 0
    /// Requests that arrived at Flxpoint, whatever their answer (throttled and unauthenticated included).
    public var flxpointRequests = 0
    /// Flxpoint requests refused with 429 by the per-token rate limit (injected 429s are not counted here).
    public var flxpointThrottled = 0
    /// The most Flxpoint requests one token sent within any sliding second [t, t+1s), on a monotonic
    /// clock; above `flxpointRequestsPerSecond` means the client did not pace itself.
    public var flxpointMaxRequestsInAnySecond = 0
    /// Seconds from that token's first request to its last: `(flxpointRequests - 1) / span` is the
    /// rate it sustained.
    public var flxpointRequestSpanSeconds = 0.0
    /// Counted requests by the protocol they came in on: "HTTP/1.1" or "HTTP/2".
    public var requestsByHTTPVersion: [String: Int] = [:]
    /// Client connections (distinct remote address and port) that carried a counted request: one
    /// per TCP connection, however many HTTP/2 streams it multiplexed.
    public var connections = 0

    public init() {}

    /// The count for one "METHOD kind STATUS" key.
    public func count(_ method: String, _ kind: String, _ status: Int) -> Int {
        requests["\(method) \(kind) \(status)"] ?? 0
    }

    /// All requests matching the method and/or kind, any status.
    public func total(method: String? = nil, kind: String? = nil) -> Int {
        requests.reduce(0) { sum, entry in
            let parts = entry.key.split(separator: " ")
            guard parts.count == 3 else { return sum }
            if let method, parts[0] != method { return sum }
            if let kind, parts[1] != kind { return sum }
            return sum + entry.value
        }
    }

    /// The most Flow Service requests that started within one calendar second.
    public var busiestSecond: Int {
        requestStartsPerSecond.map(\.count).max() ?? 0
    }
}
