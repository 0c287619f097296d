import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncEngine
import SpecSyncTargets
import Testing

/// The adaptive limiter in a real pass: the engine's 64 write tasks, the limiter gating them, the
/// real HTTP stack against the emulator answering 429 beyond its rate limit.
@Suite("Adaptive concurrency in a pass")
struct AdaptiveConcurrencyTests {
    @Test("300 creates against a server admitting 100 requests a second: every outcome recorded, one spec each, paced once refused")
    func rateLimitedServer() async throws {
        var configuration = EmulatorConfiguration()
        configuration.latency = .milliseconds(20)
        configuration.rateLimit = 100
        let bundles = (0..<300).map { "bundle-\($0)" }
        try await EngineHarness.with(bundles: bundles, configuration: configuration) { harness in
            let limiter = AdaptiveConcurrencyLimiter(clock: ContinuousClock())
            let client = try await harness.client(
                retry: RetryPolicy(maxAttempts: 10), pacer: limiter, concurrency: ConcurrencySetting.maximum,
                pricedConcurrency: AdaptiveLimit<ContinuousClock.Instant>.initial, timeout: .seconds(30))
            let report = try await harness.sync(concurrency: ConcurrencySetting.maximum, client: client)
            #expect(report.isInSync, "\(report.failed.map(\.reason))")
            #expect(report.created.count == 300)
            let state = try #require(try harness.store.load())
            #expect(state.bundles.count == 300)
            #expect(bundles.allSatisfy { state.bundles[$0]?.id != nil && state.bundles[$0]?.bodyHash != nil })
            let specs = await harness.emulator.store.connectionSpecs()
            #expect(specs.count == 300)
            #expect(Set(specs.compactMap { $0.objectValue?["name"]?.stringValue }).count == 300, "one spec per bundle")

            // How few 429s it takes is a figure of the machine's load (Tests/Benchmarks/adaptive.sh
            // measures it): asserted here, a busy CI runner made it fail. What holds on any machine:
            // once the server refused, the limiter paces at a rate.
            let statistics = await harness.emulator.store.statistics()
            let rate = await limiter.state.rate
            #expect(statistics.rateLimited == 0 || rate != nil, "\(statistics.rateLimited) answered 429, yet the limiter does not pace")
            #expect(statistics.maxConcurrentRequests <= ConcurrencySetting.maximum)
        }
    }

    @Test("a fixed concurrency is exactly that many in flight, never more, whatever the answers")
    func fixedConcurrency() async throws {
        var configuration = EmulatorConfiguration()
        configuration.latency = .milliseconds(20)
        let bundles = (0..<40).map { "bundle-\($0)" }
        try await EngineHarness.with(bundles: bundles, configuration: configuration) { harness in
            let report = try await harness.sync(concurrency: 3)
            #expect(report.created.count == 40)
            #expect(await harness.emulator.store.statistics().maxConcurrentRequests <= 3)
        }
    }
}
