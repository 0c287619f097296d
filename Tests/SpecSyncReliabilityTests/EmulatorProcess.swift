import AsyncHTTPClient
import NIOCore
import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport

/// `specsync emulator --port 0 …` as a process of its own, as the reliability runs use it: what it
/// holds outlives every specsync process killed against it, and the test looks inside through its
/// control routes (`/__emulator/…`) over loopback HTTP.
final class EmulatorProcess: @unchecked Sendable {
    let url: String
    let clientSecret: String
    private let process: ChildProcess
    private let directory: TemporaryDirectory

    /// Starts the emulator with `options` (e.g. `["--server-error-rate", "0.2"]`) and waits for its
    /// "listening on" line.
    init(clientSecret: String, options: [String] = []) throws {
        directory = try TemporaryDirectory(prefix: "specsync-emulator")
        self.clientSecret = clientSecret
        let secretFile = try directory.write(clientSecret + "\n", to: "client-secret")
        let log = directory.url.appendingPathComponent("emulator.log")
        process = try ChildProcess(
            try SpecSyncBinary.path, ["emulator", "--port", "0", "--client-secret-file", secretFile.path] + options,
            environment: SpecSyncBinary.childEnvironment(), standardOutput: .file(log.path))
        // Tests/Reliability/run.sh stops what a harness killed by its time limit left behind.
        if let pids = ProcessInfo.processInfo.environment["SPECSYNC_RELIABILITY_PIDS"], !pids.isEmpty,
           let file = FileHandle(forWritingAtPath: pids) {
            file.seekToEndOfFile()
            file.write(Data("\(process.processIdentifier)\n".utf8))
            try? file.close()
        }

        let deadline = Date().addingTimeInterval(30)
        var found: String?
        while found == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            found = text.split(separator: "\n").first { $0.hasPrefix("listening on ") }.map { String($0.dropFirst("listening on ".count)) }
            if found == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw ReliabilityFailure("the emulator did not say where it listens within 30 s:\n\(text)")
        }
        url = found
    }

    deinit { stop() }

    /// SIGTERM, and the wait for it to go.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        directory.remove()
    }

    /// The `targets:` YAML of a Flow Service target named `name` on this emulator; the client
    /// secret comes from `secretVariable`. `settings` are extra `flowService` lines.
    func targetConfiguration(name: String = "emulator", secretVariable: String = "EMULATOR_CLIENT_SECRET", settings: [String] = []) -> String {
        let defaults = EmulatorConfiguration()
        let lines = [
            "baseURL: \(url)/data/foundation/flowservice", "imsURL: \(url)", "orgId: \(defaults.orgID)",
            "sandbox: \(defaults.sandbox)", "clientId: \(defaults.clientID)", "clientSecret: {env: \(secretVariable)}",
        ] + settings
        return "targets:\n  \(name):\n    flowService:\n" + lines.map { "      " + $0 }.joined(separator: "\n") + "\n"
    }

    // MARK: Control routes

    func statistics() async throws -> EmulatorStatistics {
        try JSONDecoder().decode(EmulatorStatistics.self, from: Data(try await control("GET", "statistics")))
    }

    /// Every connection spec the sandbox holds, server fields included.
    func connectionSpecs() async throws -> [JSONValue] {
        try JSONParser().parse(try await control("GET", "connectionSpecs"))[JSONPointer("/items")]?.arrayValue ?? []
    }

    func flowSpecs() async throws -> [JSONValue] {
        try JSONParser().parse(try await control("GET", "flowSpecs"))[JSONPointer("/items")]?.arrayValue ?? []
    }

    /// Replaces the fault plan (its generator restarts from the plan's seed).
    func setFaults(_ plan: FaultPlan) async throws {
        _ = try await control("POST", "faults", body: try JSONEncoder().encode(plan))
    }

    private func control(_ method: String, _ path: String, body: Data? = nil) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: "\(url)/__emulator/\(path)")
        request.method = .init(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = Array(buffer: try await response.body.collect(upTo: 256 << 20))
        guard (200..<300).contains(Int(response.status.code)) else {
            throw ReliabilityFailure("\(method) /__emulator/\(path) answered \(response.status.code): \(String(decoding: bytes, as: UTF8.self))")
        }
        return bytes
    }
}
