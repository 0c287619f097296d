@testable import SpecSyncEmulator
import Testing

@Suite("Flxpoint rate limit")
struct FlxpointRateLimiterTests {
    private func instants(_ milliseconds: [Int]) -> [ContinuousClock.Instant] {
        let start = ContinuousClock.now
        return milliseconds.map { start.advanced(by: .milliseconds($0)) }
    }

    @Test func busiestWindowIsHalfOpen() {
        let window = Duration.seconds(1)
        #expect(FlxpointRateLimiter.maxArrivals(in: instants([]), window: window) == 0)
        #expect(FlxpointRateLimiter.maxArrivals(in: instants([5]), window: window) == 1)
        // Exactly one second apart: never in the same [t, t+1s).
        #expect(FlxpointRateLimiter.maxArrivals(in: instants([0, 1000, 2000]), window: window) == 1)
        #expect(FlxpointRateLimiter.maxArrivals(in: instants([0, 999, 1000]), window: window) == 2)
        // A window that does not start at the first arrival: 400, 900, 1300 fit in [400, 1400).
        #expect(FlxpointRateLimiter.maxArrivals(in: instants([0, 400, 900, 1300, 2500]), window: window) == 3)
        // Order does not matter.
        #expect(FlxpointRateLimiter.maxArrivals(in: instants([1300, 0, 900, 400]), window: window) == 3)
        #expect(FlxpointRateLimiter.maxArrivals(in: instants([0, 0, 0, 0]), window: window) == 4)
    }

    @Test func refusesOverTheLimitPerTokenAndRefusalsDoNotCount() {
        var limiter = FlxpointRateLimiter(limit: 2)
        let at = instants([0, 100, 200, 900, 1050, 1150, 1250])
        #expect(limiter.arrive(token: "a", at: at[0]) == nil)
        #expect(limiter.arrive(token: "a", at: at[1]) == nil)
        #expect(limiter.arrive(token: "a", at: at[2]) == 1)
        #expect(limiter.arrive(token: "b", at: at[2]) == nil)
        #expect(limiter.arrive(token: "a", at: at[3]) == 1)
        // 0 has left the trailing second; 100 is still in it; the refusals at 200 and 900 took no slot.
        #expect(limiter.arrive(token: "a", at: at[4]) == nil)
        #expect(limiter.arrive(token: "a", at: at[5]) == nil)
        #expect(limiter.arrive(token: "a", at: at[6]) == 1)
        #expect(limiter.requests == 8)
        #expect(limiter.throttled == 3)
        // a arrived at 200, 900, 1050, 1150 within [200, 1200).
        #expect(limiter.busiestSecond == 4)
    }
}
