import Foundation
import SpecSyncTestSupport
import Testing
@testable import SpecSyncTargets

/// A generator for policies without jitter, which never draw from it. (Never use it to draw:
/// `random(in:using:)` rejection-samples, and a constant generator can loop forever.)
struct FixedRandom: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite("Retry policy, token bucket, token lifetime")
struct ResilienceTests {
    @Test("429 waits exactly Retry-After; 5xx, 408 and transport failures back off; other statuses give up")
    func decisions() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: 0)
        var random = FixedRandom(value: 0)
        #expect(policy.decision(after: .status(429, retryAfter: .seconds(7)), attempt: 1, using: &random) == .retry(after: .seconds(7)))
        #expect(policy.decision(after: .status(503, retryAfter: nil), attempt: 1, using: &random) == .retry(after: .milliseconds(100)))
        #expect(policy.decision(after: .status(504, retryAfter: nil), attempt: 3, using: &random) == .retry(after: .milliseconds(400)))
        #expect(policy.decision(after: .transportFailure, attempt: 4, using: &random) == .retry(after: .milliseconds(800)))
        #expect(policy.decision(after: .status(400, retryAfter: nil), attempt: 1, using: &random) == .giveUp)
        #expect(policy.decision(after: .status(404, retryAfter: nil), attempt: 1, using: &random) == .giveUp)
        #expect(policy.decision(after: .status(500, retryAfter: nil), attempt: 1, using: &random) == .retry(after: .milliseconds(100)))
        #expect(policy.decision(after: .status(408, retryAfter: nil), attempt: 1, using: &random) == .retry(after: .milliseconds(100)))
        #expect(policy.decision(after: .status(503, retryAfter: .seconds(2)), attempt: 1, using: &random) == .retry(after: .seconds(2)))
        #expect(policy.decision(after: .status(501, retryAfter: nil), attempt: 1, using: &random) == .giveUp, "not implemented: never will be")
        #expect(policy.decision(after: .status(409, retryAfter: nil), attempt: 1, using: &random) == .giveUp)
        #expect(policy.exceedsRetryAfterCap(.status(503, retryAfter: .seconds(3600))) == .seconds(3600))
        #expect(policy.exceedsRetryAfterCap(.status(429, retryAfter: .seconds(7))) == nil)
        #expect(policy.decision(after: .status(503, retryAfter: nil), attempt: 5, using: &random) == .giveUp, "the last attempt is final")
        #expect(policy.decision(after: .status(429, retryAfter: .seconds(3600)), attempt: 1, using: &random) == .giveUp,
                "a pause longer than maxRetryAfter is not waited for")
    }

    @Test("backoff is capped and jitter only ever shortens it")
    func backoff() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(2), jitter: 0.5)
        var unused = FixedRandom(value: 0)
        var exact = policy
        exact.jitter = 0
        #expect(exact.backoff(attempt: 10, using: &unused) == .seconds(2))
        #expect(exact.backoff(attempt: 3, using: &unused) == .milliseconds(400))
        var system = SystemRandomNumberGenerator()
        for attempt in 1...40 {
            let delay = policy.backoff(attempt: attempt, using: &system)
            #expect(delay <= .seconds(2) && delay >= .milliseconds(50))
        }
    }

    @Test("Retry-After accepts seconds and HTTP dates")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(RetryPolicy.parseRetryAfter("120") == .seconds(120))
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:40 GMT", now: now) == .seconds(20))
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        #expect(RetryPolicy.parseRetryAfter(nil) == nil)
    }

    @Test("the token bucket lets a burst through, then spaces requests at the rate")
    func tokenBucket() {
        let clock = ManualClock()
        var bucket = TokenBucket<ManualClock.Instant>(ratePerSecond: 2, burst: 2)
        let start = clock.now
        #expect(bucket.reserve(at: start) == .zero)
        #expect(bucket.reserve(at: start) == .zero)
        #expect(bucket.reserve(at: start) == .milliseconds(500))
        #expect(bucket.reserve(at: start) == .seconds(1))
        // After a quiet second the debt is paid back.
        #expect(bucket.reserve(at: start.advanced(by: .seconds(3))) == .zero)
    }

    @Test("20 requests paced at 2/s never have more than 2 in any one-second window")
    func pacedWindow() {
        let clock = ManualClock()
        var bucket = TokenBucket<ManualClock.Instant>(ratePerSecond: 2, burst: 1)
        var sent: [Duration] = []
        var now = clock.now
        for _ in 0..<20 {
            let wait = bucket.reserve(at: now)
            now = now.advanced(by: wait)
            sent.append(now.offset)
        }
        for (index, time) in sent.enumerated() {
            #expect(sent[index...].filter { $0 < time + .seconds(1) }.count <= 2)
        }
        #expect(sent.last == .milliseconds(9500), "and no slower than the limit")
    }

    @Test("the pacer makes the second request sleep on the clock until its turn")
    func pacerSleeps() async throws {
        let clock = ManualClock()
        let pacer = RequestPacer(ratePerSecond: 1, burst: 1, clock: clock)
        try await pacer.acquire()
        let second = Task { try await pacer.acquire() }
        try await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(999))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        try await second.value
        #expect(clock.sleeperCount == 0)
    }

    @Test("tokens renew ahead of expiry: a tenth of the lifetime, at most five minutes")
    func lifetime() {
        let clock = ManualClock()
        let day = TokenLifetime(issuedAt: clock.now, lifetime: .seconds(86_400))
        #expect(day.renewAt == clock.now.advanced(by: .seconds(86_100)))
        let short = TokenLifetime(issuedAt: clock.now, lifetime: .seconds(2))
        #expect(short.isFresh(at: clock.now.advanced(by: .milliseconds(1799))))
        #expect(!short.isFresh(at: clock.now.advanced(by: .milliseconds(1800))))
    }
}

