import Foundation

/// Blocking work (a child process, a large git commit, a CPU-bound replay) run on a thread of its
/// own, so an async test waiting for it never holds one of the few cooperative threads that an
/// in-process emulator, or a timing-sensitive test running beside it, needs.
public enum BlockingWork {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await run(idle: false, body)
    }

    /// The same at the lowest CPU priority (Linux's SCHED_IDLE): for seconds of computation that must
    /// not slow down the tests running beside it (the rate-limit tests count requests per second).
    public static func runWhenIdle<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await run(idle: true, body)
    }

    static func run<T: Sendable>(idle: Bool, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                #if os(Linux)
                if idle {
                    var parameters = sched_param()
                    _ = pthread_setschedparam(pthread_self(), 5 /* SCHED_IDLE, not exported to Swift */, &parameters)
                }
                #endif
                continuation.resume(with: Result { try body() })
            }.start()
        }
    }
}
