import Foundation

/// The misbehaving IMS + API server of `Tests/HostileServer/hostile_server.py`, run as a child
/// process on 127.0.0.1 for the length of a test: it echoes credentials, answers CR/LF tokens,
/// stalls, drips, sends 65 MiB or HTML, and asks for day-long pauses (the script lists its modes).
public final class HostileServer: @unchecked Sendable {
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("HostileServer/hostile_server.py")

    public let port: Int
    /// JSON lines: every request received and every token issued.
    public let log: URL
    private let process: ChildProcess

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server with `ims` and `api` modes; `upstream` is where the proxy modes forward.
    public init(ims: String = "ok", api: String = "500", upstream: String? = nil) throws {
        log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("specsync-hostile-\(UUID().uuidString).jsonl")
        let output = Pipe()
        process = try ChildProcess("python3", [Self.script.path, "--ims", ims, "--api", api, "--log", log.path]
            + (upstream.map { ["--upstream", $0] } ?? []),
            standardOutput: .descriptor(output.fileHandleForWriting.fileDescriptor), standardError: .inherited)
        try? output.fileHandleForWriting.close()
        let line = Self.readLine(output.fileHandleForReading)
        guard let port = Int(line) else {
            process.signal(SIGKILL)
            throw ProcessFailure(command: ["python3", Self.script.path], result: ProcessResult(
                status: -1, stdout: line, stderr: "the hostile server did not print its port"))
        }
        self.port = port
    }

    /// A loopback port that nothing listens on (bound, read and closed by the script).
    public static func closedPort() throws -> Int {
        let result = try ProcessRunner.checked("python3", [script.path, "--free-port"])
        guard let port = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ProcessFailure(command: ["python3", script.path, "--free-port"], result: result)
        }
        return port
    }

    /// Tokens the server handed out, for checking that none of them leaked.
    public func issuedTokens() -> [String] {
        entries().compactMap { $0["token"] as? String }
    }

    /// Requests received of `kind` ("ims" or "api").
    public func requests(_ kind: String) -> [[String: Any]] {
        entries().filter { $0["kind"] as? String == kind }
    }

    private func entries() -> [[String: Any]] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// SIGKILL: a handler the server stalls on purpose must not keep it alive.
    public func stop() {
        process.signal(SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }

    deinit { stop() }

    private static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first, byte != 0x0A else { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
