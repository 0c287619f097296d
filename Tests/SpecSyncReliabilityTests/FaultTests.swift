import Foundation
import Testing

/// Item 2 of the reliability suite, small: 100 bundles through 20% 5xx, 5% lost answers, 429
/// bursts with Retry-After and tokens that expire every 2 s. `Tests/Reliability/run.sh` runs 500.
@Suite("Reliability: faults", .serialized)
struct FaultTests {
    @Test("a fault storm loses nothing and duplicates nothing; tokens follow the run's length")
    func storm() async throws {
        let figures = try await FaultScenario().run()
        try ScenarioReport.publish("faults-fast", figures)
        // Clean: no duplicate, no lost record, every record and body the remote's, every spec registered.
        #expect(figures.passes.isClean, "\(figures.passes.summary)")
        let faults = try #require(figures.faults)
        #expect(faults.serverErrors > 0 && faults.dropped > 0 && faults.throttled > 0, "\(faults)")
        #expect(figures.tokensIssued <= figures.tokensExpectedAtMost,
                "\(figures.tokensIssued) tokens for \(figures.runSeconds) s of running in \(figures.passes.runs) runs")
        #expect(figures.tokensIssued * 10 < figures.requests, "\(figures.tokensIssued) tokens for \(figures.requests) requests")
    }
}
