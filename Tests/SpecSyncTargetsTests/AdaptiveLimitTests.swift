import Foundation
import SpecSyncTestSupport
import Testing
@testable import SpecSyncTargets

/// The adaptive limiter's decisions, driven by given instants, latencies and statuses: no clock
/// runs and nothing is timed.
@Suite("Adaptive concurrency: the limiter's decisions")
struct AdaptiveLimitTests {
    typealias Limit = AdaptiveLimit<ManualClock.Instant>

    /// Answers `count` requests one after another, `spacing` apart, each `latency` long.
    static func answer(
        _ limit: inout Limit, _ count: Int, status: Int = 201, latency: Duration = .milliseconds(20), from start: ManualClock.Instant,
        spacing: Duration = .milliseconds(1), saturated: Bool = true
    ) -> ManualClock.Instant {
        var now = start
        for _ in 0..<count {
            let sequence = limit.send()
            now = now.advanced(by: spacing)
            limit.finished(sequence: sequence, outcome: .answered(status), latency: latency, at: now, saturated: saturated)
        }
        return now
    }

    @Test("clean, fast answers grow the window from 4 (doubling to 8, then one a window) up to 64 and never past it")
    func growsToTheMaximum() {
        var limit = Limit()
        #expect(limit.limit == 4)
        var now = ManualClock().now
        var seen: [Int] = []
        for _ in 0..<400 {
            now = Self.answer(&limit, 10, from: now)
            seen.append(limit.limit)
        }
        #expect(seen == seen.sorted(), "the window only grows: \(seen)")
        #expect(seen.contains(8) && seen.contains(32))
        #expect(limit.limit == 64)
        #expect(limit.rate == nil)
    }

    @Test("answers that do not fill the window (a pass with a few writes) do not grow it")
    func applicationLimitedDoesNotGrow() {
        var limit = Limit()
        _ = Self.answer(&limit, 500, from: ManualClock().now, saturated: false)
        #expect(limit.limit == 4)
    }

    @Test("latency inflation stops the growth (over 1.5 times the lowest) and shrinks the window (over twice)")
    func latencyInflationStopsGrowth() {
        var limit = Limit()
        var now = Self.answer(&limit, 60, from: ManualClock().now)
        let grown = limit.limit
        #expect(grown > 8)
        // The server queues: every answer takes three times the baseline.
        var seen: [Int] = []
        for _ in 0..<40 {
            now = Self.answer(&limit, 1, latency: .milliseconds(60), from: now)
            seen.append(limit.limit)
        }
        #expect(seen.allSatisfy { $0 <= grown }, "grew past \(grown) with the latency up: \(seen.max() ?? 0)")
        #expect(limit.limit < grown)
        #expect(limit.baselineLatency == .milliseconds(20))
        // Latency between 1.5 and 2 times the baseline (once the average has come down to it): held.
        now = Self.answer(&limit, 20, latency: .milliseconds(35), from: now)
        let held = limit.window
        #expect(held > 1)
        for _ in 0..<40 { now = Self.answer(&limit, 1, latency: .milliseconds(35), from: now) }
        #expect(limit.window == held)
        // Within 1.5 times: growing again.
        for _ in 0..<40 { now = Self.answer(&limit, 1, latency: .milliseconds(25), from: now) }
        #expect(limit.window > held)
    }

    /// The first 429 after 300 answers 10 ms apart (the server admitted 100 a second): the probe starts.
    static func firstThrottle(_ limit: inout Limit) -> ManualClock.Instant {
        let now = answer(&limit, 300, from: ManualClock().now, spacing: .milliseconds(10))
        limit.finished(sequence: limit.send(), outcome: .answered(429), latency: .milliseconds(20), at: now, saturated: true)
        return now
    }

    /// A probe that ends counted: `admitted` answers `spacing` apart, then a refusal one `spacing`
    /// after the last, when the window (from the first answer) is `admitted × spacing` long.
    static func countedProbe(_ limit: inout Limit, admitted: Int, spacing: Duration, from start: ManualClock.Instant) -> ManualClock.Instant {
        let now = answer(&limit, admitted, from: start, spacing: spacing).advanced(by: spacing)
        limit.finished(sequence: limit.send(), outcome: .answered(429), latency: .milliseconds(20), at: now, saturated: true)
        return now
    }

    @Test("the first 429 cuts to a quarter of what was admitted in the last second and starts a probe; the 429s of one round cut once")
    func firstThrottleStartsAProbe() throws {
        var limit = Limit()
        var now = Self.answer(&limit, 300, from: ManualClock().now, spacing: .milliseconds(10))
        let before = limit.limit
        #expect(before > 8)
        // Three requests of the same round: sent, then answered 429.
        let round = (0..<3).map { _ in limit.send() }
        now = now.advanced(by: .milliseconds(1))
        limit.finished(sequence: round[0], outcome: .answered(429), latency: .milliseconds(20), at: now, saturated: true)
        let rate = try #require(limit.rate)
        #expect(abs(rate - 25) < 0.001, "the first cut is to a quarter: \(rate)")
        #expect(limit.ceiling == nil, "the last second held the server's burst: no ceiling until the probe counts one")
        #expect(limit.limit < before)
        #expect(limit.limit <= 2 * 25 * 20 / 1000 + 2, "the window a rate of 25/s needs at 20 ms: \(limit.limit)")
        for sequence in round.dropFirst() {
            limit.finished(sequence: sequence, outcome: .answered(429), latency: .milliseconds(20), at: now, saturated: true)
        }
        #expect(limit.rate == rate, "one cut for the round")
    }

    @Test("a probe that sees refusals makes what it admitted the ceiling and paces at 0.9 of it; one that sees none raises the rate by a quarter")
    func probeCounts() throws {
        var limit = Limit()
        var now = Self.firstThrottle(&limit)
        let cut = try #require(limit.rate)
        // A window without refusals: 4 answers 40 ms apart, 120 ms from the first to the last.
        now = Self.answer(&limit, 4, from: now, spacing: .milliseconds(40))
        let raised = try #require(limit.rate)
        #expect(abs(raised - 1.25 * cut) < 0.001, "\(raised)")
        #expect(limit.ceiling == nil)
        // A window with a refusal: 5 admitted, 20 ms apart, then a 429 100 ms after the first answer.
        now = Self.answer(&limit, 5, from: now, spacing: .milliseconds(20))
        #expect(limit.rate == raised, "held while the window counts")
        let refused = limit.send()
        now = now.advanced(by: .milliseconds(20))
        limit.finished(sequence: refused, outcome: .answered(429), latency: .milliseconds(20), at: now, saturated: true)
        let admitted = 5 / 0.1
        #expect(abs((limit.ceiling ?? 0) - admitted) < 0.001, "the 50/s the probe saw admitted: \(limit.ceiling ?? 0)")
        #expect(abs((limit.rate ?? 0) - 0.9 * admitted) < 0.001, "\(limit.rate ?? 0)")
    }

    @Test("a probe that never sees a refusal grows until pacing is moot, then the limiter is unpaced at the full window")
    func probeWithoutRefusalsEnds() throws {
        var limit = Limit()
        var now = Self.firstThrottle(&limit)
        var rates: [Double] = []
        for _ in 0..<200 where limit.rate != nil {
            now = Self.answer(&limit, 2, from: now, spacing: .milliseconds(60))
            if let rate = limit.rate { rates.append(rate) }
        }
        #expect(limit.rate == nil, "unpaced after \(rates.count) windows: \(rates.suffix(3))")
        #expect(rates.count > 5 && rates == rates.sorted(), "grown a quarter at a time: \(rates)")
        #expect(limit.limit == Limit.bounds.upperBound)
    }

    @Test("after the probe, a 429 cuts from what was admitted since; one too soon to count cuts from the rate sent")
    func laterThrottlesCut() throws {
        var limit = Limit()
        var now = Self.firstThrottle(&limit)
        // The probe counts 50/s: 5 admitted 20 ms apart, a refusal 100 ms after the first.
        now = Self.countedProbe(&limit, admitted: 5, spacing: .milliseconds(20), from: now)
        #expect(abs((limit.ceiling ?? 0) - 50) < 0.001, "the probe is over: \(limit.ceiling ?? 0)")
        // Sent after that cut: five admitted in the 121 ms since (41/s, under the 45/s sent), then a
        // refusal: cut to 0.9 of them.
        let later = limit.send()
        now = Self.answer(&limit, 5, from: now, spacing: .milliseconds(24))
        limit.finished(sequence: later, outcome: .answered(429), latency: .milliseconds(20), at: now.advanced(by: .milliseconds(1)), saturated: true)
        let second = try #require(limit.rate)
        #expect(abs((limit.ceiling ?? 0) - 5 / 0.121) < 0.001, "the 41/s admitted since the cut: \(limit.ceiling ?? 0)")
        #expect(abs(second - 0.9 * 5 / 0.121) < 0.001, "\(second)")
        // Refused again 50 ms later, too soon to count what was admitted since: from the rate sent.
        let third = limit.send()
        now = Self.answer(&limit, 1, from: now.advanced(by: .milliseconds(1)), spacing: .milliseconds(50))
        let sending = try #require(limit.rate)
        limit.finished(sequence: third, outcome: .answered(429), latency: .milliseconds(20), at: now, saturated: true)
        #expect(abs((limit.ceiling ?? 0) - sending) < 0.001, "\(limit.ceiling ?? 0) against \(sending)")
    }

    @Test("after a counted cut the rate grows back to the admitted rate, flattens there, then probes beyond; only while requests wait for it")
    func rateGrowsBackAlongTheCubic() throws {
        var limit = Limit()
        var now = Self.firstThrottle(&limit)
        // The probe counts 100/s: 10 admitted 10 ms apart, then a refusal 100 ms after the first.
        now = Self.countedProbe(&limit, admitted: 10, spacing: .milliseconds(10), from: now)
        #expect(abs((limit.ceiling ?? 0) - 100) < 0.001, "\(limit.ceiling ?? 0)")
        let cut = try #require(limit.rate)
        // Idle requests (not waiting for their turn) leave the rate alone.
        now = Self.answer(&limit, 100, from: now, spacing: .milliseconds(11), saturated: false)
        #expect(limit.rate == cut)
        // Waiting requests: it returns to 100/s within a few seconds, stays near it for a while, then goes past.
        var rates: [(seconds: Double, rate: Double)] = []
        for step in 1...1200 {
            now = Self.answer(&limit, 1, from: now, spacing: .milliseconds(10))
            if let rate = limit.rate { rates.append((Double(step) / 100, rate)) }
        }
        #expect(rates.map(\.rate) == rates.map(\.rate).sorted(), "the rate only grows without 429s")
        let atThree = try #require(rates.first { $0.seconds >= 3 }).rate
        let atSix = try #require(rates.first { $0.seconds >= 4.5 }).rate
        #expect(atThree > cut && atThree < 100.5, "\(atThree)")
        #expect(atSix < 101, "flat near the ceiling: \(atSix)")
        #expect((rates.last?.rate ?? 0) > 101, "then probing beyond: \(rates.last?.rate ?? 0)")
    }

    @Test("server errors and transport failures neither grow nor cut")
    func failuresAreNeutral() {
        var limit = Limit()
        var now = ManualClock().now
        for outcome in [PacingOutcome.failed, .answered(503), .answered(502)] {
            for _ in 0..<50 {
                let sequence = limit.send()
                now = now.advanced(by: .milliseconds(1))
                limit.finished(sequence: sequence, outcome: outcome, latency: .seconds(5), at: now, saturated: true)
            }
        }
        #expect(limit.limit == 4)
        #expect(limit.rate == nil)
        #expect(limit.baselineLatency == nil)
    }
}

@Suite("Adaptive concurrency: the limiter gating requests")
struct AdaptiveConcurrencyLimiterTests {
    @Test("no more in flight than the limit: the next request waits for an answer, not for the clock")
    func gatesByTheWindow() async throws {
        let clock = ManualClock()
        let limiter = AdaptiveConcurrencyLimiter(initial: 2, clock: clock)
        let first = try await limiter.acquire()
        _ = try await limiter.acquire()
        let third = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(clock.sleeperCount == 0)
        await limiter.finished(first, outcome: .answered(200))
        _ = try await third.value
    }

    @Test("cancelled waiters pass the free place on: every one of them ends, none is left waiting")
    func cancelledWaitersEnd() async throws {
        let limiter = AdaptiveConcurrencyLimiter(initial: 1, clock: ManualClock())
        let held = try await limiter.acquire()
        let waiting = (0..<3).map { _ in Task { try await limiter.acquire() } }
        try await Task.sleep(for: .milliseconds(50))
        waiting.forEach { $0.cancel() }
        await limiter.finished(held, outcome: .answered(200))
        for task in waiting {
            await #expect(throws: CancellationError.self) { _ = try await task.value }
        }
        // The place is still free for the next request.
        _ = try await limiter.acquire()
    }

    @Test("after a 429 starts are spaced at the learnt rate, on the clock")
    func pacesAfterAThrottle() async throws {
        let clock = ManualClock()
        let limiter = AdaptiveConcurrencyLimiter(initial: 4, clock: clock)
        let ticket = try await limiter.acquire()
        clock.advance(by: .milliseconds(20))
        await limiter.finished(ticket, outcome: .answered(429))
        let rate = try #require(await limiter.state.rate)
        await limiter.finished(try await limiter.acquire(), outcome: .answered(200))
        let next = Task { try await limiter.acquire() }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1 / rate))
        _ = try await next.value
    }

    @Test("a fixed requestsPerSecond paces an adaptive limiter from the first request")
    func maximumRate() async throws {
        let clock = ManualClock()
        let limiter = AdaptiveConcurrencyLimiter(maximumRate: 2, clock: clock)
        _ = try await limiter.acquire()
        let second = Task { try await limiter.acquire() }
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(499))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        _ = try await second.value
    }
}
