import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// `repository.url` through the real binary: every command clones on first use and fetches before reading
/// the ref; a changed URL is followed; a silent server or SIGTERM cannot hang a run; no password is shown.
@Suite("remote repositories (repository.url)", .serialized, .timeLimit(.minutes(2)))
struct RemoteRepositoryTests {
    /// A folder to run specsync in: its configuration reads `repository` from `repositoryYAML` (indented
    /// settings) and the emulator target from the example repository's configuration.
    static func runner(for fixture: GitFixture, repositoryYAML: String) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "specsync-runner")
        try write(repositoryYAML, for: fixture, in: directory)
        return directory
    }

    static func write(_ repositoryYAML: String, for fixture: GitFixture, in directory: TemporaryDirectory) throws {
        let targets = try String(contentsOfFile: fixture.path + "/specsync.yaml", encoding: .utf8)
        try directory.write("repository:\n" + repositoryYAML + "\n" + targets, to: "specsync.yaml")
    }

    func specsync(_ arguments: [String], in directory: TemporaryDirectory) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: directory.url, environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret])
    }

    static func report(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    @Test("sync --once with only repository.url clones and syncs; after a push the next run syncs the new commit; a new URL is followed")
    func syncOnceFollowsTheRemote() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, upstream in
            let runner = try Self.runner(for: upstream, repositoryYAML: "  url: file://\(upstream.path)\n  ref: origin/main")
            defer { runner.remove() }

            let first = try await specsync(["sync", "--once", "--format", "json"], in: runner)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect((try Self.report(first)["created"] as? [String])?.count == 3)
            let clone = runner.path + "/.specsync/repository.git"
            #expect((try FileManager.default.attributesOfItem(atPath: clone)[.posixPermissions] as? Int) == 0o700)

            // A push to the remote: the next run fetches it.
            try upstream.write("Acme Orders v2\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            let pushed = try upstream.commitAll("relabel acme-orders")
            let second = try await specsync(["sync", "--once", "--format", "json"], in: runner)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(try Self.report(second)["updated"] as? [String] == ["acme-orders"], "\(second.stdout)")
            #expect(second.stdout.contains(pushed), "the report names the pushed commit: \(second.stdout)")

            // A new URL: a remote with a commit the old one does not have.
            try upstream.write("Acme Orders v3\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            let moved = try upstream.commitAll("only on the new remote")
            let newRemote = try upstream.bareClone()
            defer { newRemote.remove() }
            try upstream.git("reset", "-q", "--hard", "HEAD~1")
            try Self.write("  url: file://\(newRemote.path)/repo.git\n  ref: origin/main", for: upstream, in: runner)
            let third = try await specsync(["sync", "--once", "--format", "json"], in: runner)
            #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
            #expect(try Self.report(third)["updated"] as? [String] == ["acme-orders"], "\(third.stdout)")
            #expect(third.stdout.contains(moved))
            #expect(third.stderr.contains("the clone pointed at another remote; it now follows repository.url"), "\(third.stderr)")
            _ = emulator
        }
    }

    @Test("plan fetches before reading the ref; plan --no-fetch reads the clone as it is")
    func planFetches() async throws {
        try await SyncCommandTests.withExampleRepository { _, upstream in
            let runner = try Self.runner(for: upstream, repositoryYAML: "  url: file://\(upstream.path)")
            defer { runner.remove() }
            let synced = try await specsync(["sync", "--once"], in: runner)
            #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)")
            try upstream.write("Acme Orders v3\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try upstream.commitAll("relabel again")

            for flag in ["--no-fetch", "--offline"] {
                let unfetched = try await specsync(["plan", flag, "--detailed-exitcode"], in: runner)
                #expect(unfetched.status == 0, "\(flag): the clone has no new commit: \(unfetched.stdout)\(unfetched.stderr)")
            }
            let fetched = try await specsync(["plan", "--detailed-exitcode"], in: runner)
            #expect(fetched.status == 2, "the fetched commit has a change: \(fetched.stdout)\(fetched.stderr)")
            #expect(fetched.stdout.contains("acme-orders"))
        }
    }

    @Test("a password in repository.url is refused with a pointer to repository.credentials, and never printed")
    func passwordInURL() async throws {
        try await SyncCommandTests.withExampleRepository { _, upstream in
            let secret = "hunter2-\(UUID().uuidString)"
            let runner = try Self.runner(for: upstream, repositoryYAML: "  url: https://bot:\(secret)@127.0.0.1:9/repo.git")
            defer { runner.remove() }
            for command in [["plan"], ["sync", "--once"]] {
                let result = try await specsync(command, in: runner)
                #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
                #expect(result.stderr.contains("repository.url has a password in it"), "\(result.stderr)")
                #expect(result.stderr.contains("repository.credentials"))
                #expect(result.stderr.contains("specsync.yaml:"), "the message names the file and line")
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret))
            }
            #expect(!FileManager.default.fileExists(atPath: runner.path + "/.specsync/repository.git"))
        }
    }

    @Test("against a silent server, sync --once fails after repository.connectTimeout and says so")
    func silentServerTimesOut() async throws {
        try await SyncCommandTests.withExampleRepository { _, upstream in
            let listener = try SilentListener()
            defer { listener.stop() }
            let runner = try Self.runner(
                for: upstream, repositoryYAML: "  url: ssh://git@127.0.0.1:\(listener.port)/repo.git\n  connectTimeout: 1s")
            defer { runner.remove() }
            let result = try await specsync(["sync", "--once"], in: runner)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("did not answer within 1 s (repository.connectTimeout)"), "\(result.stderr)")
            #expect(listener.connectionCount >= 1)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: runner.path + "/.specsync")
            #expect(!leftovers.contains { $0.contains("repository.git") }, "no clone, whole or partial, is left: \(leftovers)")
        }
    }

    @Test("a daemon that cannot clone exits 1 with the clone's real path, and its HTTP server stops without errors")
    func daemonStartFailure() async throws {
        try await SyncCommandTests.withExampleRepository { _, upstream in
            let closed = try SilentListener()
            let port = closed.port
            closed.stop()  // nothing listens there now: connection refused
            let runner = try Self.runner(
                for: upstream, repositoryYAML: "  url: ssh://git@127.0.0.1:\(port)/repo.git\n  connectTimeout: 5s")
            defer { runner.remove() }
            try runner.write(
                try String(contentsOfFile: runner.path + "/specsync.yaml", encoding: .utf8)
                    + "daemon:\n  http:\n    host: 127.0.0.1\n    port: 0\n",
                to: "specsync.yaml")
            let result = try await specsync(["sync"], in: runner)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("could not clone ssh://git@127.0.0.1:\(port)/repo.git into '\(runner.path)/.specsync/repository.git'"), "\(result.stderr)")
            #expect(!result.stderr.contains(".partial-"), "the temporary folder is not shown")
            #expect(!result.stderr.contains("Already closed") && !result.stderr.contains("CancellationError"), "\(result.stderr)")
        }
    }

    /// Starts `specsync arguments` in `directory` without waiting.
    func launch(_ arguments: [String], in directory: TemporaryDirectory) throws -> ChildProcess {
        try ChildProcess(
            try SpecSyncBinary.path, arguments, in: directory.url,
            environment: SpecSyncBinary.childEnvironment(["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret]))
    }

    /// Whether `process` ended within `limit`.
    func exits(_ process: ChildProcess, within limit: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test("SIGTERM during a hung fetch ends sync --once and the daemon within 5 s", arguments: [["sync", "--once"], ["sync"]])
    func sigtermDuringHungFetch(arguments: [String]) async throws {
        try await SyncCommandTests.withExampleRepository { _, upstream in
            let listener = try SilentListener()
            defer { listener.stop() }
            let runner = try Self.runner(
                for: upstream,
                repositoryYAML: "  url: ssh://git@127.0.0.1:\(listener.port)/repo.git\n  connectTimeout: 10m\n  inactivityTimeout: 10m")
            defer { runner.remove() }
            try runner.write(
                try String(contentsOfFile: runner.path + "/specsync.yaml", encoding: .utf8) + "daemon:\n  http:\n    enabled: false\n",
                to: "specsync.yaml")
            let process = try launch(arguments, in: runner)
            defer { if process.isRunning { process.signal(SIGKILL) } }
            #expect(try await listener.waitForConnections(), "specsync connected to the silent server")
            process.signal(SIGTERM)
            #expect(try await exits(process, within: .seconds(5)), "SIGTERM ended \(arguments.joined(separator: " ")) in time")
        }
    }
}
