// A discrete-event simulation of `AdaptiveLimit` (SpecSyncTargets) against token buckets: the
// limiter's decisions, the engine's write tasks as `AdaptiveConcurrencyLimiter` gates them, and a
// server that checks its bucket when a request's latency has passed (as `specsync emulator
// --rate-limit` does) and answers 429 beyond it; a refused write is retried after its Retry-After
// of one second. No clock runs: thousands of requests take milliseconds, so the limiter's constants
// can be compared over many servers at once. Built and run by adaptive-simulation.sh.
import Foundation

// What AdaptiveLimit.swift uses of SpecSyncCore.
public enum PacingOutcome: Sendable { case answered(Int), failed }
enum ConcurrencySetting { static let maximum = 64 }

struct Instant: InstantProtocol, Hashable {
    var offset: Duration
    func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
    func duration(to other: Instant) -> Duration { other.offset - offset }
    static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
}

struct TokenBucket {
    let rate: Double, burst: Double
    var tokens: Double, updated = 0.0
    init(rate: Double, burst: Double) { (self.rate, self.burst, tokens) = (rate, burst, burst) }
    mutating func admits(at now: Double) -> Bool {
        tokens = min(burst, tokens + (now - updated) * rate)
        updated = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

struct Outcome { var seconds: Double, requests: Int, refused: Int }

/// `creates` writes by 64 tasks against a bucket of `rate`/s and `burst`, each answer `latency`
/// plus up to `jitter` seconds after it was sent.
func simulate(creates: Int, rate: Double, burst: Double, latency: Double, jitter: Double, seed: UInt64) -> Outcome {
    var random = seed
    func uniform() -> Double {
        random = random &* 6364136223846793005 &+ 1442695040888963407
        return Double(random >> 11) / Double(1 << 53)
    }
    enum Event { case answer, turn, retry }
    var limit = AdaptiveLimit<Instant>()
    var bucket = TokenBucket(rate: rate, burst: burst)
    var events: [(at: Double, order: Int, event: Event, task: Int)] = []
    var order = 0
    func schedule(_ at: Double, _ event: Event, _ task: Int) { order += 1; events.append((at, order, event, task)) }
    var now = 0.0, remaining = creates, inFlight = 0, requests = 0, refused = 0
    var waiting: [Int] = []
    var lastStart: Double?
    var sent: [Int: (at: Double, saturated: Bool, sequence: Int)] = [:]

    func send(_ task: Int, saturated: Bool) {
        let sequence = limit.send()
        requests += 1
        sent[task] = (now, saturated, sequence)
        schedule(now + latency + uniform() * jitter, .answer, task)
    }
    // AdaptiveConcurrencyLimiter.acquire: wait for a place, then for the rate's turn.
    func acquire(_ task: Int, waited: Bool) {
        guard inFlight < limit.limit else { waiting.append(task); return }
        inFlight += 1
        let saturated = waited || inFlight >= limit.limit
        if let rate = limit.rate {
            let turn = max(lastStart.map { $0 + 1 / rate } ?? now, now)
            lastStart = turn
            if turn > now {
                sent[task] = (turn, true, -1)
                schedule(turn, .turn, task)
                return
            }
        }
        send(task, saturated: saturated)
    }
    func wake() {
        var free = limit.limit - inFlight
        while free > 0, !waiting.isEmpty { free -= 1; acquire(waiting.removeFirst(), waited: true) }
    }
    func next(_ task: Int) { if remaining > 0 { remaining -= 1; acquire(task, waited: false) } }

    for task in 0..<64 { next(task) }
    while let index = events.indices.min(by: { (events[$0].at, events[$0].order) < (events[$1].at, events[$1].order) }) {
        let (at, _, event, task) = events.remove(at: index)
        now = at
        switch event {
        case .turn:
            send(task, saturated: true)
        case .retry:
            acquire(task, waited: false)
        case .answer:
            let request = sent.removeValue(forKey: task)!
            let admitted = bucket.admits(at: now)
            if !admitted { refused += 1 }
            limit.finished(sequence: request.sequence, outcome: .answered(admitted ? 201 : 429),
                           latency: .nanoseconds(Int64((now - request.at) * 1e9)),
                           at: Instant(offset: .nanoseconds(Int64(now * 1e9))), saturated: request.saturated)
            inFlight -= 1
            wake()
            if admitted { next(task) } else { schedule(now + 1, .retry, task) }
        }
    }
    return Outcome(seconds: now, requests: requests, refused: refused)
}

let creates = 2000, seeds: [UInt64] = [1, 2, 3, 4, 5]
let servers: [(rate: Double, burst: Double, jitter: Double)] = [
    (100, 100, 0.002), (50, 50, 0.002), (300, 300, 0.002), (100, 10, 0.002), (100, 200, 0.002), (100, 100, 0.030),
]
print("| bucket (rate/s, burst), latency 20 ms + jitter | seconds (bound) | of the bound | 429s |")
print("|---|---|---|---|")
var fractions: [Double] = [], shares: [Double] = []
for server in servers {
    let outcomes = seeds.map { simulate(creates: creates, rate: server.rate, burst: server.burst, latency: 0.020, jitter: server.jitter, seed: $0) }
    let seconds = outcomes.map(\.seconds).reduce(0, +) / Double(seeds.count)
    let requests = outcomes.map(\.requests).reduce(0, +), refused = outcomes.map(\.refused).reduce(0, +)
    // The bound: the burst at once, the rest at the rate.
    let bound = (Double(creates) - server.burst) / server.rate
    fractions.append(Double(refused) / Double(requests))
    shares.append(bound / seconds)
    print(String(format: "| %.0f/s, %.0f, +%.0f ms | %.2f (%.2f) | %.0f%% | %.2f%% (%d of %d) |", server.rate, server.burst, server.jitter * 1000,
                 seconds, bound, 100 * bound / seconds, 100 * Double(refused) / Double(requests), refused / seeds.count, requests / seeds.count))
}
print(String(format: "| mean | | %.1f%% | %.2f%% |", 100 * shares.reduce(0, +) / Double(shares.count), 100 * fractions.reduce(0, +) / Double(fractions.count)))
