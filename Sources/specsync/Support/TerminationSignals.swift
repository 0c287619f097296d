#if canImport(Glibc)
import Glibc
#endif

/// The one-shot commands have no graceful stop: SIGTERM or SIGINT ends them at once, which the state
/// journal is built for (a run killed mid-pass resumes without duplicates). A parent may have started us with
/// those signals blocked (a supervisor written in Swift or Java, a test runner); they would then stay pending
/// for ever while a fetch hangs. A thread of ours waits for them and exits, so they work either way.
enum TerminationSignals {
    private static let installed: Void = {
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { _ in
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGTERM)
            sigaddset(&signals, SIGINT)
            // Blocked here so sigwait receives them; threads where they are not blocked just die by them.
            pthread_sigmask(SIG_BLOCK, &signals, nil)
            var received: Int32 = 0
            guard sigwait(&signals, &received) == 0 else { return nil }
            _exit(128 + received)
        }, nil)
        if created == 0 { pthread_detach(thread) }
    }()

    /// Makes SIGTERM and SIGINT end the process even when it inherited them blocked. Idempotent.
    static func exitOnTermination() {
        _ = installed
    }
}
