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
        let output = TemporaryOutput()
        let errors = TemporaryOutput()
        let child = try ChildProcess(
            executable, arguments, in: directory, environment: environment,
            standardOutput: .file(output.path), standardError: .file(errors.path))
        child.waitUntilExit()
        return ProcessResult(status: child.terminationStatus, stdout: output.contents(), stderr: errors.contents())
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

/// A file that collects a child's output; pipes could fill up and block a chatty child. Only the child
/// opens it, so no descriptor of it is left in this process for another child to inherit.
private struct TemporaryOutput {
    let path = NSTemporaryDirectory() + "specsync-out-\(UUID().uuidString)"

    func contents() -> String {
        defer { try? FileManager.default.removeItem(atPath: path) }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
