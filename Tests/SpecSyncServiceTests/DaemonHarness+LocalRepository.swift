import SpecSyncEmulator
import SpecSyncTestSupport

extension DaemonHarness {
    /// A daemon over a new local repository of `bundles` (sample bundles, one commit), against a new
    /// emulator that knows the harness's client secret. `configuration` writes the specsync.yaml the
    /// daemon runs with, usually `DaemonHarness.configuration(…)` edited for the test.
    static func withLocalRepository(
        bundles: [String] = ["alpha", "beta"], emulator emulatorConfiguration: EmulatorConfiguration = EmulatorConfiguration(),
        fileLimit: Int? = nil,
        configuration: (_ emulator: FlowServiceEmulator, _ fixture: GitFixture, _ httpPort: Int) async throws -> String,
        _ body: (DaemonHarness) async throws -> Void
    ) async throws {
        var settings = emulatorConfiguration
        settings.clientSecret = DaemonHarness.secret
        try await withFlowServiceEmulator(settings) { emulator in
            let fixture = try GitFixture()
            let work = try TemporaryDirectory()
            defer {
                fixture.cleanUp()
                work.remove()
            }
            for source in bundles { try SampleBundle.write(source, in: fixture.directory) }
            try fixture.commitAll("bundles")
            let port = try freeLoopbackPort()
            try work.write(try await configuration(emulator, fixture, port), to: "specsync.yaml")
            let harness = DaemonHarness(emulator: emulator, fixture: fixture, work: work, notify: try NotifySocket(directory: work), httpPort: port)
            try harness.start(fileLimit: fileLimit)
            defer { harness.stop() }
            try await body(harness)
        }
    }
}
