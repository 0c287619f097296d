/// The bound port, once a server listens (the emulator's, the daemon's endpoints'). Callers of `port` wait here; a server that fails to
/// start wakes them with its error instead of leaving them hanging.
public actor ListeningState {
    public init() {}

    private enum State {
        case waiting
        case listening(Int)
        case failed(any Error)
    }

    private var state = State.waiting
    private var waiters: [Int: CheckedContinuation<Int, any Error>] = [:]
    private var nextWaiter = 0

    public func listening(on port: Int) {
        state = .listening(port)
        resumeAll(with: .success(port))
    }

    public func failed(_ error: any Error) {
        if case .listening = state { return }
        state = .failed(error)
        resumeAll(with: .failure(error))
    }

    /// Back to waiting, for a second `run()` of the same emulator.
    public func restart() {
        state = .waiting
    }

    public func port() async throws -> Int {
        switch state {
        case .listening(let port): return port
        case .failed(let error): throw error
        case .waiting: break
        }
        let id = nextWaiter
        nextWaiter += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    private func resumeAll(with result: Result<Int, any Error>) {
        let pending = waiters
        waiters = [:]
        for continuation in pending.values { continuation.resume(with: result) }
    }
}
