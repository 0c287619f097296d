import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 that accepts every connection and never sends a byte: a server that hangs.
public final class SilentListener: @unchecked Sendable {
    public let port: Int
    private let socket: LoopbackListeningSocket
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var stopped = false

    public init() throws {
        socket = try LoopbackListeningSocket()
        port = socket.port
        Thread { [self] in acceptLoop() }.start()
    }

    /// How many connections were accepted so far.
    public var connectionCount: Int { lock.withLock { connections.count } }

    /// Waits until at least `count` connections were accepted (or `limit` passes); true when they were.
    public func waitForConnections(_ count: Int = 1, limit: Duration = .seconds(30)) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while connectionCount < count {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    public func stop() {
        socket.stopListening()
        lock.withLock {
            stopped = true
            for connection in connections { close(connection) }
            connections.removeAll()
        }
    }

    private func acceptLoop() {
        socket.acceptLoop { connection in
            lock.withLock {
                // Accepted just as it stopped: nobody would close it.
                if stopped { close(connection) } else { connections.append(connection) }
            }
        }
    }
}
