import Foundation

/// A real git repository made with the `git` CLI in a temporary directory.
public struct GitFixture: Sendable {
    public let directory: TemporaryDirectory

    public var path: String { directory.path }
    public var url: URL { directory.url }

    /// Creates an empty non-bare repository on branch `main` with a fixed identity.
    public init(prefix: String = "specsync-git") throws {
        directory = try TemporaryDirectory(prefix: prefix)
        try git("init", "-q", "-b", "main")
        try git("config", "user.name", "specsync tests")
        try git("config", "user.email", "tests@specsync.invalid")
        try git("config", "commit.gpgsign", "false")
    }

    /// Runs `git` in the repository and returns its trimmed standard output.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try git(arguments)
    }

    @discardableResult
    public func git(_ arguments: [String]) throws -> String {
        let result = try ProcessRunner.checked("git", arguments, in: url, environment: Self.environment)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    public func write(_ contents: String, to relativePath: String) throws -> URL {
        try directory.write(contents, to: relativePath)
    }

    public func remove(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(relativePath))
    }

    /// Stages everything and commits; returns the new commit's id.
    @discardableResult
    public func commitAll(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    /// A bare clone of this repository in a new temporary directory.
    public func bareClone() throws -> TemporaryDirectory {
        let target = try TemporaryDirectory(prefix: "specsync-bare")
        try ProcessRunner.checked(
            "git", ["clone", "-q", "--bare", url.path, target.path + "/repo.git"], environment: Self.environment)
        return target
    }

    public func cleanUp() { directory.remove() }

    /// A git environment independent of the user's global configuration.
    public static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_AUTHOR_DATE"] = "2026-01-01T00:00:00Z"
        env["GIT_COMMITTER_DATE"] = "2026-01-01T00:00:00Z"
        env["GIT_TERMINAL_PROMPT"] = "0"
        return env
    }
}
