import SpecSyncCore
@testable import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

@Suite("Flow Service rate limit")
struct RateLimitTests {
    @Test("the bucket admits a burst of N, refuses beyond with a Retry-After, and refills at N a second; refusals take no token")
    func bucket() {
        var limiter = FlowServiceRateLimiter(requestsPerSecond: 4)
        let start = ContinuousClock.now
        for _ in 0..<4 { #expect(limiter.arrive(at: start) == nil) }
        #expect(limiter.arrive(at: start) == 1)
        #expect(limiter.arrive(at: start.advanced(by: .milliseconds(100))) == 1)
        // A quarter of a second gives one token back, however many were refused meanwhile.
        #expect(limiter.arrive(at: start.advanced(by: .milliseconds(250))) == nil)
        #expect(limiter.arrive(at: start.advanced(by: .milliseconds(260))) == 1)
        // Idle for long: the bucket holds N again, never more.
        let later = start.advanced(by: .seconds(10))
        for _ in 0..<4 { #expect(limiter.arrive(at: later) == nil) }
        #expect(limiter.arrive(at: later) == 1)
        #expect(limiter.admitted == 9)
        #expect(limiter.refused == 4)
    }

    @Test("--rate-limit answers the requests beyond it 429 in the gateway's shape with a Retry-After, counted as rateLimited")
    func refusesBeyondTheLimit() async throws {
        try await EmulatorHarness.run({ $0.rateLimit = 3 }) { harness in
            let token = try await harness.token()
            let clock = ContinuousClock()
            let start = clock.now
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<10 { group.addTask { try await harness.flow("GET", "/connectionSpecs", token: token) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = clock.now - start
            let refused = replies.filter { $0.status == 429 }
            let admitted = replies.filter { $0.status == 200 }
            #expect(admitted.count + refused.count == 10)
            // The burst is admitted; beyond it, only what the rate refilled while the requests came.
            #expect(admitted.count >= 3)
            let refilled = Int((Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 3)
            #expect(admitted.count <= 3 + refilled + 1, "\(admitted.count) admitted in \(elapsed)")
            for reply in refused {
                #expect(Int(reply.header("Retry-After") ?? "") ?? 0 >= 1)
                #expect(reply["/error_code"] == .string("429001"))
            }
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.rateLimited == refused.count)
            #expect(statistics.count("GET", "connectionSpecs", 429) == refused.count)
            #expect(statistics.maxConcurrentRequests >= 1)
            // A refused create is not applied.
            let create = try await harness.flow("POST", "/connectionSpecs", body: SampleBundle.spec(name: "Late"), token: token)
            if create.status == 429 { #expect(await harness.emulator.store.connectionSpecs(named: "Late").isEmpty) }
        }
    }

    @Test("without --rate-limit nothing is refused")
    func noLimit() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            for _ in 0..<20 { #expect(try await harness.flow("GET", "/connectionSpecs", token: token).status == 200) }
            #expect(await harness.emulator.store.statistics().rateLimited == 0)
        }
    }
}
