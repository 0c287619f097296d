import Foundation
import SpecSyncTestSupport

/// A `specsync` process started in the background, to be killed at a moment of the test's choosing.
/// Its output goes to files the test can read (and search for secrets) afterwards.
final class SpecSyncRun: @unchecked Sendable {
    let process: ChildProcess
    let stdout: URL
    let stderr: URL
    let started = ContinuousClock.now
    private let lock = NSLock()
    private var endedAt: ContinuousClock.Instant?

    /// When the process ended, as seen by the thread that waits for it; nil while it runs.
    var ended: ContinuousClock.Instant? { lock.withLock { endedAt } }

    init(_ arguments: [String], in directory: URL, environment: [String: String], outputs: URL) throws {
        let name = UUID().uuidString.prefix(8)
        stdout = outputs.appendingPathComponent("run-\(name).out")
        stderr = outputs.appendingPathComponent("run-\(name).err")
        process = try ChildProcess(
            try SpecSyncBinary.path, arguments, in: directory, environment: SpecSyncBinary.childEnvironment(environment),
            standardOutput: .file(stdout.path), standardError: .file(stderr.path))
        Thread { [self] in
            process.waitUntilExit()
            let now = ContinuousClock.now
            lock.withLock { endedAt = now }
        }.start()
    }

    /// SIGKILL now, unless it already ended; true when it was still running and got killed.
    func kill() async -> Bool {
        let wasRunning = process.isRunning
        process.signal(SIGKILL)
        await finished()
        return wasRunning && process.terminationReason == .uncaughtSignal
    }

    /// Waits for the end without blocking a cooperative thread.
    func finished() async {
        await process.exited()
        while ended == nil { try? await Task.sleep(for: .milliseconds(10)) }
    }

    var status: Int32 { process.terminationStatus }

    var output: String {
        ((try? String(contentsOf: stdout, encoding: .utf8)) ?? "") + ((try? String(contentsOf: stderr, encoding: .utf8)) ?? "")
    }
}
