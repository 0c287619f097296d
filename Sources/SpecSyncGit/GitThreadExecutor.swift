import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial executor that runs every job on one thread it owns.
///
/// libgit2 objects are not thread-safe and `git_error_last()` is per thread, so a repository's libgit2 calls
/// must stay on one thread; the Swift cooperative pool would move an actor between threads. The thread lives
/// until `shutdown(then:)` is called and the queue is drained; it holds the executor alive until then.
final class GitThreadExecutor: SerialExecutor, @unchecked Sendable {
    private enum Work {
        case job(UnownedJob)
        case block(() -> Void)
    }

    // All mutable state is guarded by `condition`'s lock (hence @unchecked Sendable).
    private let condition = ThreadCondition()
    private var pending: [Work] = []
    private var isShutDown = false
    private var thread: pthread_t?
    private let name: String

    init(name: String) {
        self.name = name
        // The thread owns a reference to the executor until its loop returns.
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { context in
            let executor = Unmanaged<GitThreadExecutor>.fromOpaque(context!).takeRetainedValue()
            executor.runLoop()
            return nil
        }, context)
        guard created == 0 else { fatalError("cannot start the libgit2 thread '\(name)': error \(created)") }
        pthread_detach(handle)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        push(.job(UnownedJob(job)))
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Lets `assumeIsolated` and the runtime's isolation checks recognise our thread.
    func checkIsolated() {
        precondition(isCurrent, "expected to run on the libgit2 thread '\(name)'")
    }

    func isIsolatingCurrentContext() -> Bool? {
        isCurrent
    }

    /// True when called from this executor's thread.
    var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        guard let thread else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    /// Runs `body` on the executor's thread after everything already queued, and waits for it.
    /// For synchronous entry points (an actor's non-async init); async code should hop to the actor instead.
    func runBlocking<T>(_ body: @escaping () throws(GitError) -> T) throws(GitError) -> T {
        if isCurrent { return try body() }
        let result = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let work = UncheckedSendable(body)  // only called on the executor thread while this caller waits
        push(
            .block {
                result.value = Result { () throws(GitError) -> T in try work.value() }
                done.signal()
            })
        done.wait()
        // `value` was set before the signal; the semaphore orders the accesses.
        guard let value = result.value else { preconditionFailure("libgit2 thread finished without a result") }
        return try value.get()
    }

    /// Runs `body` on the executor's thread and resumes the caller when done, without blocking a pool thread.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws(GitError) -> T) async throws(GitError) -> T {
        let result: Result<T, GitError> = await withCheckedContinuation { continuation in
            push(
                .block {
                    continuation.resume(returning: Result { () throws(GitError) -> T in try body() })
                })
        }
        return try result.get()
    }

    /// Runs `cleanup` on the thread after all queued work, then lets the thread end.
    func shutdown(then cleanup: @escaping @Sendable () -> Void) {
        condition.lock()
        pending.append(.block(cleanup))
        isShutDown = true
        condition.signal()
        condition.unlock()
    }

    private func push(_ work: Work) {
        condition.lock()
        pending.append(work)
        condition.signal()
        condition.unlock()
    }

    /// Names the thread for `top -H`, `ps -L` and crash reports. Glibc's `pthread_setname_np` is not
    /// visible to Swift, so this writes what it writes; Linux keeps the first 15 bytes.
    private static func nameCurrentThread(_ name: String) {
        #if os(Linux)
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        #endif
    }

    private func runLoop() {
        Self.nameCurrentThread(name)
        condition.lock()
        thread = pthread_self()
        condition.unlock()
        let executor = asUnownedSerialExecutor()
        while true {
            condition.lock()
            while pending.isEmpty && !isShutDown { condition.wait() }
            if pending.isEmpty {
                // Shut down and drained: the thread ends and releases the executor.
                thread = nil
                condition.unlock()
                return
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            condition.unlock()
            for work in batch {
                switch work {
                case .job(let job): job.runSynchronously(on: executor)
                case .block(let block): block()
                }
            }
        }
    }
}

/// A pthread mutex with one condition variable: the executor's queue lock.
private final class ThreadCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for `signal()`; the lock must be held, and is held again on return.
    func wait() { pthread_cond_wait(condition, mutex) }
    func signal() { pthread_cond_signal(condition) }
}

/// Carries a result from the executor thread back to a blocked caller.
private final class ResultBox<T>: @unchecked Sendable {
    var value: Result<T, GitError>?
}

/// Moves a non-Sendable value across threads where the code guarantees there is no concurrent use
/// (the sender waits, or the value is only touched on the executor's thread).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
