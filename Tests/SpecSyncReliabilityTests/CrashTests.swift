import Foundation
import Testing
import SpecSyncTestSupport

/// Item 1 of the reliability suite, small: the real binary killed with SIGKILL during `sync --once`
/// against an emulator process with 10% injected faults. `Tests/Reliability/run.sh` runs the long one.
@Suite("Reliability: crashes", .serialized)
struct CrashTests {
    @Test("5 kills at random moments over 60+ bundles: every restart converges, one spec per bundle, every record matches")
    func killedRuns() async throws {
        let figures = try await CrashScenario().run()
        try ScenarioReport.publish("crashes-fast", figures)
        // Clean: no duplicate, no lost record, every record and body the remote's, every spec registered.
        #expect(figures.restarts.isClean, "\(figures.restarts.summary)")
        #expect(figures.kills == 5)
        #expect(figures.faultsInjected > 0, "the emulator injected no fault")
    }

    @Test("the same on the PostgreSQL state backend: 5 kills, every restart converges, one spec per bundle, every record matches",
          .enabled(if: PostgresCluster.shouldRun, Comment(rawValue: PostgresCluster.skipNote)))
    func killedRunsOnPostgres() async throws {
        var scenario = CrashScenario()
        scenario.postgres = true
        let figures = try await scenario.run()
        try ScenarioReport.publish("crashes-fast-postgres", figures)
        #expect(figures.restarts.isClean, "\(figures.restarts.summary)")
        #expect(figures.kills == 5)
    }
}
