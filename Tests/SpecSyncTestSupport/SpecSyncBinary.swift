import Foundation

/// The real `specsync` executable that `swift build` put beside the test bundle, or the one
/// `SPECSYNC_TEST_BINARY` names (the reliability runs use a release build).
public enum SpecSyncBinary {
    public static var path: String {
        get throws {
            if let chosen = ProcessInfo.processInfo.environment["SPECSYNC_TEST_BINARY"], !chosen.isEmpty {
                guard FileManager.default.isExecutableFile(atPath: chosen) else {
                    throw ProcessFailure(command: [chosen], result: ProcessResult(
                        status: -1, stdout: "", stderr: "SPECSYNC_TEST_BINARY names \(chosen), which is not an executable file"))
                }
                return chosen
            }
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            // The test runner lives in <products>/specsyncPackageTests.xctest (Linux) or deeper in a bundle (macOS).
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("specsync")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
                directory.deleteLastPathComponent()
            }
            throw ProcessFailure(command: ["specsync"], result: ProcessResult(
                status: -1, stdout: "", stderr: "the specsync executable was not built next to the tests; run `swift build` first"))
        }
    }

    /// Like `run`, for async tests: waits on a thread of its own, so a test waiting for the binary
    /// never blocks a cooperative thread that an in-process emulator needs to answer it.
    public static func execute(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await BlockingWork.run { try run(arguments, in: directory, environment: environment) }
    }

    /// Runs `specsync arguments…` in `directory` with a clean environment plus `environment`.
    public static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(try path, arguments, in: directory, environment: childEnvironment(environment))
    }

    /// The environment a child `specsync` gets: this process's without specsync's own variables
    /// (an unknown `SPECSYNC_` variable is an error), no colour, plus `extra`.
    public static func childEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SPECSYNC_") && $0.key != "STATE_DIRECTORY" }
        env["NO_COLOR"] = "1"
        env.merge(extra) { $1 }
        return env
    }
}
