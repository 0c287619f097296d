import CLibgit2
import Dispatch
import Synchronization
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

    /// SIGURG: ignored by default, so a stray one is harmless; Go's runtime uses it the same way.
    private static let interruptSignal = SIGURG
    private static let handlerInstalled: Bool = specsync_install_interrupt_handler(SIGURG) == 0

    init(_ options: GitNetworkOptions) {
        self.options = options
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
            if state.reason != nil { pthread_kill(thread, Self.interruptSignal) }
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
