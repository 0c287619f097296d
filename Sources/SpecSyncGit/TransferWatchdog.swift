import CLibgit2
import Dispatch
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Enforces `GitNetworkOptions` on one blocking libgit2 network call.
///
/// libgit2 1.5.1 has no timeouts and blocks in `connect`, `recv` or libssh2's `poll` while a server stays
/// silent, so its callbacks alone cannot stop it. A timer checks the deadlines a few times a second; once one
/// has passed (or `shouldStop` says so) every callback answers "cancel", and the calling thread is sent a
/// signal whose handler does nothing but interrupts the blocked system call (EINTR), which libgit2 reports as a
/// failed read. The signal is resent until the call returns, since one may land between system calls.
/// libssh2 retries after EINTR, so for ssh the watchdog also shuts down the call's socket: one opened since
/// the call began whose peer has the remote's port.
final class TransferWatchdog: Sendable {
    enum Reason: Sendable, Equatable {
        case noAnswer(Duration)
        case silent(Duration)
        case stopped
    }

    private struct State {
        var thread: pthread_t?
        var started = ContinuousClock.now
        var lastActivity: ContinuousClock.Instant?
        var reason: Reason?
    }

    private let options: GitNetworkOptions
    private let state = Mutex(State())
    /// For ssh: the remote's port, whose sockets opened during the call are shut down when it is abandoned.
    private let sshPort: Int?
    /// Sockets open before the call began; never touched.

    /// SIGURG: ignored by default, so a stray one is harmless; Go's runtime uses it the same way.
    private static let interruptSignal = SIGURG
    private static let handlerInstalled: Bool = specsync_install_interrupt_handler(SIGURG) == 0

    init(_ options: GitNetworkOptions, sshPort: Int? = nil) {
        self.options = options
        self.sshPort = sshPort
    }

    /// Why the call was abandoned, nil while it is allowed to go on.
    var reason: Reason? { state.withLock { $0.reason } }

    /// Runs `body`, a blocking libgit2 call, on the current thread under watch.
    func watch<T>(_ body: () throws(GitError) -> T) throws(GitError) -> T {
        _ = Self.handlerInstalled
        _ = specsync_unblock_signal(Self.interruptSignal)
        state.withLock {
            $0.thread = pthread_self()
            $0.started = .now
        }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler { [self] in tick() }
        timer.resume()
        defer {
            // Under the lock: once the thread is cleared no tick can signal it any more.
            state.withLock { $0.thread = nil }
            timer.cancel()
        }
        return try body()
    }

    /// The server said something (a callback ran). Returns libgit2's "go on" (0) or "cancel" (-1).
    func touch() -> Int32 {
        state.withLock { state in
            state.lastActivity = .now
            return state.reason == nil ? 0 : -1
        }
    }

    private func tick() {
        let stopping = options.shouldStop?() ?? false
        state.withLock { state in
            guard let thread = state.thread else { return }
            if state.reason == nil {
                let now = ContinuousClock.now
                if stopping {
                    state.reason = .stopped
                } else if let last = state.lastActivity {
                    if now - last > options.inactivityTimeout { state.reason = .silent(options.inactivityTimeout) }
                } else if now - state.started > options.connectTimeout {
                    state.reason = .noAnswer(options.connectTimeout)
                }
            }
            if state.reason != nil {
                pthread_kill(thread, Self.interruptSignal)
                if let sshPort { shutDownSockets(peerPort: sshPort) }
            }
        }
    }

    /// The process's open socket descriptors.
    private static func openSockets() -> Set<Int32> {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return [] }
        var sockets: Set<Int32> = []
        for entry in entries {
            guard let descriptor = Int32(entry) else { continue }
            var info = stat()
            if fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK { sockets.insert(descriptor) }
        }
        return sockets
    }

    private func shutDownSockets(peerPort: Int) {
        // Every socket to the remote's port, not only those opened since the watchdog started: a
        // descriptor number seen before may have been closed and reused for this call's socket (other
        // threads open and close sockets meanwhile), and skipping it would leave the call hung.
        for descriptor in Self.openSockets() {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let port: Int? = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    guard getpeername(descriptor, generic, &length) == 0 else { return nil }
                    switch Int32(generic.pointee.sa_family) {
                    case AF_INET:
                        return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                            Int(UInt16(bigEndian: $0.pointee.sin_port))
                        }
                    case AF_INET6:
                        return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                            Int(UInt16(bigEndian: $0.pointee.sin6_port))
                        }
                    default: return nil
                    }
                }
            }
            if port == peerPort { shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }

    /// `error` in plain words when the watchdog ended the call.
    func explain(_ error: GitError, remote: String) -> GitError {
        guard let reason else { return error }
        let message: String
        let code: Int32
        switch reason {
        case .noAnswer(let limit):
            code = GIT_ERROR.rawValue
            message =
                "\(remote) did not answer within \(Self.describe(limit)) (repository.connectTimeout); check the "
                + "URL's host and port, and that the server is up and reachable from here"
        case .silent(let limit):
            code = GIT_ERROR.rawValue
            message =
                "\(remote) sent nothing for \(Self.describe(limit)) in the middle of the transfer "
                + "(repository.inactivityTimeout); try again later, or raise the limit for a slow server"
        case .stopped:
            code = GIT_EUSER.rawValue
            message = "stopped because specsync is shutting down"
        }
        return GitError(operation: error.operation, code: code, errorClass: Int32(GIT_ERROR_NET.rawValue), message: message)
    }

    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }
}
