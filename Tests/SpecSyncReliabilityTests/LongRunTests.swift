import Foundation
import Testing

/// The long reliability runs, only when `SPECSYNC_RELIABILITY_LONG=1` (`Tests/Reliability/run.sh` sets it):
/// 50 kills over 500 bundles, and a 500-bundle fault storm.
@Suite("Reliability: long runs", .serialized, .enabled(if: LongRun.enabled))
struct LongRunTests {
    static func seed() -> UInt64 { ProcessInfo.processInfo.environment["SPECSYNC_RELIABILITY_SEED"].flatMap(UInt64.init) ?? 1 }

    @Test("50 kills at random moments during a 500-bundle sync with 10% faults")
    func crashes() async throws {
        var scenario = CrashScenario()
        scenario.bundles = 500
        scenario.kills = 50
        scenario.updatesPerRound = 50
        scenario.createsPerRound = 10
        scenario.seed = Self.seed()
        scenario.timeLimit = .seconds(1500)
        let figures = try await scenario.run()
        try ScenarioReport.publish("crashes", figures)
        #expect(figures.restarts.isClean, "\(figures.restarts.summary)")
        #expect(figures.kills == 50)
    }

    @Test("50 kills at random moments during a 500-bundle sync with 10% faults, the state on PostgreSQL")
    func crashesOnPostgres() async throws {
        var scenario = CrashScenario()
        scenario.bundles = 500
        scenario.kills = 50
        scenario.updatesPerRound = 50
        scenario.createsPerRound = 10
        scenario.seed = Self.seed()
        scenario.timeLimit = .seconds(1500)
        scenario.postgres = true
        let figures = try await scenario.run()
        try ScenarioReport.publish("crashes-postgres", figures)
        #expect(figures.restarts.isClean, "\(figures.restarts.summary)")
        #expect(figures.kills == 50)
    }

    @Test("a 500-bundle sync through 20% 5xx, 5% lost answers, 429 bursts and 2 s tokens")
    func faults() async throws {
        var scenario = FaultScenario()
        scenario.bundles = 500
        scenario.seed = Self.seed()
        let figures = try await scenario.run()
        try ScenarioReport.publish("faults", figures)
        #expect(figures.passes.isClean, "\(figures.passes.summary)")
        #expect(figures.tokensIssued <= figures.tokensExpectedAtMost)
    }
}

/// Whether the long runs were asked for.
enum LongRun {
    static let enabled = ProcessInfo.processInfo.environment["SPECSYNC_RELIABILITY_LONG"] == "1"
}
