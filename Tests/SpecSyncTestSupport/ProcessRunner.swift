import Foundation

/// The outcome of a finished child process.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

public struct ProcessFailure: Error, CustomStringConvertible {
    public let command: [String]
    public let result: ProcessResult

    public var description: String {
        "`\(command.joined(separator: " "))` exited \(result.status)\nstdout: \(result.stdout)\nstderr: \(result.stderr)"
    }
}

/// Runs child processes for tests: the `git` CLI and the real `specsync` binary.
public enum ProcessRunner {
    /// Runs `executable` with `arguments` and waits for it. Standard input is empty.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        in directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> ProcessResult {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let outFile = try TemporaryOutput()
        let errFile = try TemporaryOutput()
        process.standardOutput = outFile.handle
        process.standardError = errFile.handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, stdout: outFile.contents(), stderr: errFile.contents())
    }

    /// Like `run`, but throws unless the process exits 0.
    @discardableResult
    public static func checked(
        _ executable: String, _ arguments: [String], in directory: URL? = nil,
        environment: [String: String]? = nil
    ) throws -> ProcessResult {
        let result = try run(executable, arguments, in: directory, environment: environment)
        guard result.status == 0 else { throw ProcessFailure(command: [executable] + arguments, result: result) }
        return result
    }
}

/// A file that collects a child's output; pipes could fill up and block a chatty child.
private final class TemporaryOutput {
    let url: URL
    let handle: FileHandle

    init() throws {
        url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("specsync-out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    func contents() -> String {
        try? handle.close()
        defer { try? FileManager.default.removeItem(at: url) }
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}
