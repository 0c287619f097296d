import Foundation
import Testing

/// Item 1 of the reliability suite, small: the real binary killed with SIGKILL during `sync --once`
/// against an emulator process with 10% injected faults. `Reliability/run.sh` runs the long one.
@Suite("Reliability: crashes", .serialized)
struct CrashTests {
    @Test("5 kills at random moments over 60+ bundles: every restart converges, one spec per bundle, every record matches")
    func killedRuns() async throws {
        let figures = try await CrashScenario().run()
        #expect(figures.failure == nil, "\(figures.failure ?? "")\n\(figures.problems.joined(separator: "\n"))")
        #expect(figures.kills == 5)
        #expect(figures.duplicatesFound == 0)
        #expect(figures.recordsLost == 0)
        #expect(figures.mismatched == 0)
        #expect(figures.unregistered == 0)
        #expect(figures.faultsInjected > 0, "the emulator injected no fault")
    }
}
