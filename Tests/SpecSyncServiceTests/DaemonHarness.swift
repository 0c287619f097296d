import AsyncHTTPClient
import Foundation
import NIOCore
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport

/// The real `specsync sync` daemon as a child process, against an in-process emulator, with a
/// datagram socket standing in for systemd.
final class DaemonHarness: @unchecked Sendable {
    let emulator: FlowServiceEmulator
    let fixture: GitFixture
    let work: TemporaryDirectory
    let notify: NotifySocket
    let httpPort: Int
    private var child: ChildProcess?
    /// The daemon, once `start` has run.
    var process: ChildProcess {
        guard let child else { preconditionFailure("the daemon has not been started") }
        return child
    }
    let logFile: URL
    static let secret = "daemon-test-secret-\(UUID().uuidString)"
    static let webhookSecret = "webhook-secret-\(UUID().uuidString)"
    /// More variables for the daemon (test credentials of `verify`, say).
    var extraEnvironment: [String: String] = [:]

    var stateFile: String { work.path + "/state/emulator.state.json" }
    var baseURL: String { "http://127.0.0.1:\(httpPort)" }

    init(emulator: FlowServiceEmulator, fixture: GitFixture, work: TemporaryDirectory, notify: NotifySocket, httpPort: Int) {
        self.emulator = emulator
        self.fixture = fixture
        self.work = work
        self.notify = notify
        self.httpPort = httpPort
        self.logFile = work.url.appendingPathComponent("daemon.log")
    }

    /// Writes the configuration: `repository` is the YAML of the repository section.
    static func configuration(
        emulator: FlowServiceEmulator, repository: String, httpPort: Int, extraDaemon: String = "",
        drift: String = "  drift:\n    interval: off"
    ) async throws -> String {
        let target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "EMULATOR_CLIENT_SECRET", settings: ["concurrency: 1"])
        return """
            repository:
            \(repository)
            state:
              directory: state
            daemon:
              pollInterval: 200ms
            \(drift)
              retry:
                base: 1s
                max: 2s
              http:
                port: \(httpPort)
                webhookSecret: {env: WEBHOOK_SECRET}
            \(extraDaemon)
            targets:
            """ + "\n" + target
    }

    /// Starts the daemon; `fileLimit` lowers its RLIMIT_NOFILE (through the shell's `ulimit`, which
    /// then execs the binary, so the process id stays the daemon's).
    func start(fileLimit: Int? = nil) throws {
        var arguments = ["sync", "--config", work.path + "/specsync.yaml", "--log-format", "json", "--log-level", "debug"]
        var executable = try SpecSyncBinary.path
        if let fileLimit {
            arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", executable] + arguments
            executable = "/bin/sh"
        }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SPECSYNC_") }
        environment["EMULATOR_CLIENT_SECRET"] = Self.secret
        environment["WEBHOOK_SECRET"] = Self.webhookSecret
        environment["NOTIFY_SOCKET"] = notify.path
        environment.merge(extraEnvironment) { _, extra in extra }
        child = try ChildProcess(
            executable, arguments, in: work.url, environment: environment,
            standardOutput: .file(logFile.path, append: true), standardError: .file(logFile.path, append: true))
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) { child?.signal(signal) }

    /// Waits for the process to exit; returns its status.
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                signal(SIGKILL)
                throw HarnessError("the daemon did not exit in time; log:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    func stop() {
        signal(SIGKILL)
        child?.waitUntilExit()
    }

    /// Polls `condition` every 20 ms until it holds; returns how long that took.
    @discardableResult
    func waitUntil(_ what: String, timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws -> Duration {
        let start = ContinuousClock.now
        while !(try await condition()) {
            guard ContinuousClock.now - start < timeout else { throw HarnessError("timed out waiting for \(what); log:\n\(log.suffix(4000))") }
            guard process.isRunning else { throw HarnessError("the daemon exited (\(process.terminationStatus)) while waiting for \(what); log:\n\(log.suffix(4000))") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return ContinuousClock.now - start
    }

    func get(_ path: String) async throws -> (status: Int, body: String) {
        try await request("GET", path)
    }

    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: collected))
    }

    func isReady() async -> Bool {
        (try? await get("/readyz").status) == 200
    }

    func specNames() async -> [String] {
        await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/name")]?.stringValue }.sorted()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
