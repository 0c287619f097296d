import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process for the tests: started with `posix_spawn`, with every descriptor but its standard
/// three closed in the child, and reaped by whoever waits for it, not by a shared thread.
///
/// Why not Foundation's `Process`: on Linux it learns that a child ended from a socket the child
/// inherits, and one manager thread waits for every child. Any program spawned at the same moment by
/// another thread without closing descriptors (`system`, a plain `posix_spawn`) inherits that socket
/// too; when it is a server that lives on (PostgreSQL started by `pg_ctl`), the run that owned the
/// socket never ends. Seen here: a test run idle for ten minutes in `waitUntilExit` with its specsync
/// child long gone and the PostgreSQL server holding the socket. And a server that closes the
/// descriptors it inherited ends the socket early, so the manager thread blocks in `waitpid` and stalls
/// every other child of the run. Why not swift-subprocess: it is async only, and most callers here
/// (`GitFixture.git`, `PostgresCluster.sql`) are synchronous.
public final class ChildProcess: @unchecked Sendable {
    /// Where the child's standard output or error goes (its standard input is /dev/null).
    public enum Stream {
        /// `/dev/null`.
        case null
        /// This descriptor, duplicated into the child (an open `FileHandle`'s).
        case descriptor(Int32)
        /// This file, created or truncated (appended to with `append`).
        case file(String, append: Bool = false)
        /// The test process's own stream.
        case inherited
    }

    public enum TerminationReason: Sendable { case exit, uncaughtSignal }

    public let processIdentifier: pid_t
    private let lock = NSLock()
    /// The raw wait status once the child has been reaped; its pid may then be another process's.
    private var status: Int32?

    /// Starts `executable` (a path, or a name looked up in `PATH` through `/usr/bin/env`) with
    /// `arguments`, in `directory`, with `environment` (this process's when nil). The child leads a
    /// process group of its own, as with `Process`, so a signal meant for the test run is not its.
    public init(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String]? = nil,
        standardOutput: Stream = .null, standardError: Stream = .null
    ) throws {
        let path = executable.contains("/") ? executable : "/usr/bin/env"
        let words = executable.contains("/") ? [executable] + arguments : ["/usr/bin/env", executable] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (number, stream) in [(Int32(1), standardOutput), (2, standardError)] {
            switch stream {
            case .null: posix_spawn_file_actions_addopen(&actions, number, "/dev/null", O_WRONLY, 0)
            case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, number)
            case .file(let file, let append):
                posix_spawn_file_actions_addopen(&actions, number, file, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o644)
            case .inherited: break
            }
        }
        guard let closeFrom = Self.addCloseFrom, closeFrom(&actions, 3) == 0 else {
            throw FixtureError("posix_spawn_file_actions_addclosefrom_np is missing (glibc 2.34 or later is needed)")
        }
        if let directory {
            guard let changeDirectory = Self.addChangeDirectory, changeDirectory(&actions, directory.path) == 0 else {
                throw FixtureError("posix_spawn_file_actions_addchdir_np is missing (glibc 2.29 or later is needed)")
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // No signal blocked in the child, whatever the spawning thread blocks.
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for word in argv { free(word) } }
        let pairs = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = pairs.map { strdup($0) } + [nil]
        defer { for pair in envp { free(pair) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw FixtureError("cannot start \(executable): \(String(cString: strerror(result)))") }
        processIdentifier = pid
    }

    /// Reaps the child if it has ended. Called with `lock` held.
    private func collect() {
        guard status == nil else { return }
        var raw: Int32 = 0
        if waitpid(processIdentifier, &raw, WNOHANG) == processIdentifier { status = raw }
    }

    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        collect()
        return status == nil
    }

    /// Sends `signal` unless the child has been reaped (an ended child not yet reaped keeps its pid).
    public func signal(_ signal: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if status == nil { _ = kill(processIdentifier, signal) }
    }

    /// SIGTERM, as `Process.terminate`.
    public func terminate() { signal(SIGTERM) }

    /// Blocks this thread until the child has ended. It waits without reaping (`WNOWAIT`), so `signal`
    /// from another thread can never reach a process that took over the pid.
    public func waitUntilExit() {
        var information = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &information, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        lock.lock()
        collect()
        lock.unlock()
    }

    /// Suspends until the child has ended, waiting on a thread of its own rather than a cooperative one.
    public func exited() async {
        _ = try? await BlockingWork.run { [self] in waitUntilExit() }
    }

    private var ending: Int32 {
        lock.lock()
        defer { lock.unlock() }
        guard let status else { preconditionFailure("the child \(processIdentifier) is still running") }
        return status
    }

    /// The exit code, or the signal that ended the child.
    public var terminationStatus: Int32 {
        let raw = ending
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    }

    public var terminationReason: TerminationReason { ending & 0x7f == 0 ? .exit : .uncaughtSignal }

    // glibc has both, but its headers declare them only with _GNU_SOURCE / _DEFAULT_SOURCE, which the
    // Glibc module is not built with.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addCloseFrom = unsafeBitCast(dlsym(nil, "posix_spawn_file_actions_addclosefrom_np"), to: AddCloseFrom?.self)
    private static let addChangeDirectory = unsafeBitCast(dlsym(nil, "posix_spawn_file_actions_addchdir_np"), to: AddChangeDirectory?.self)
}
