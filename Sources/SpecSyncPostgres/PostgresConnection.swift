import CLibpq
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One PostgreSQL session through libpq, whose calls block: every one runs on the connection's own
/// thread (a serial queue), off the cooperative pool, in the order it was asked for.
///
/// A session that failed is never reopened behind its owner's back: the advisory lock lives in it,
/// so a new session would be a new, unlocked writer. Its owner finds out at its next call.
final class PostgresConnection: @unchecked Sendable {
    /// "db.example:5432/specsync", for messages.
    let server: String
    private let queue: DispatchQueue
    /// Touched on `queue` only.
    private var handle: OpaquePointer?
    private var lost: PostgresError? {
        didSet { isLost.store(lost != nil, ordering: .relaxed) }
    }
    /// `lost` as any thread may read it.
    let isLost = Atomic<Bool>(false)

    private init(server: String, handle: OpaquePointer, queue: DispatchQueue) {
        self.server = server
        self.handle = handle
        self.queue = queue
    }

    /// Connects with libpq's own parameters (`dbname` may be a `postgres://` URL, which libpq
    /// expands; `sslmode`, `password`, timeouts), on a thread of its own.
    static func connect(_ parameters: [(String, String)], server: String) async throws -> PostgresConnection {
        if case .failure(let error) = LibPQ.shared {
            throw PostgresError(server: server, message: error.message, connectionLost: true)
        }
        let queue = DispatchQueue(label: "specsync.postgres")
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                let handle = withCStrings(parameters.map(\.0)) { keywords in
                    withCStrings(parameters.map(\.1)) { values in
                        pq.PQconnectdbParams(keywords, values, 1)
                    }
                }
                guard let handle else {
                    continuation.resume(throwing: PostgresError(server: server, message: "libpq could not allocate a connection", connectionLost: true))
                    return
                }
                guard pq.PQstatus(handle) == CONNECTION_OK else {
                    let message = Self.text(pq.PQerrorMessage(handle))
                    pq.PQfinish(handle)
                    continuation.resume(throwing: PostgresError(server: server, message: "cannot connect: \(message)", connectionLost: true))
                    return
                }
                // NOTICEs ("relation already exists, skipping") are not the user's business.
                _ = pq.PQsetNoticeProcessor(handle, { _, _ in }, nil)
                continuation.resume(returning: PostgresConnection(server: server, handle: handle, queue: queue))
            }
        }
    }

    /// Runs `body` on the connection's thread and returns what it returns.
    func perform<T: Sendable>(_ body: @escaping @Sendable (Session) throws(PostgresError) -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: self.run(body)) }
        }
    }

    /// Queues `body` behind everything asked before; the job says when it is done.
    func submit(_ body: @escaping @Sendable (Session) throws(PostgresError) -> Void) -> PostgresJob {
        let job = PostgresJob()
        queue.async { job.finish(self.run(body)) }
        return job
    }

    /// Ends the session (and with it every session-level lock it holds), after the work queued.
    func close() {
        queue.sync {
            if let handle { pq.PQfinish(handle) }
            handle = nil
            lost = lost ?? PostgresError(server: server, message: "the session was closed", connectionLost: true)
        }
    }

    private func run<T>(_ body: (Session) throws(PostgresError) -> T) -> Result<T, PostgresError> {
        if let lost { return .failure(lost) }
        guard let handle else { return .failure(PostgresError(server: server, message: "the session was closed", connectionLost: true)) }
        do {
            return .success(try body(Session(handle: handle, server: server)))
        } catch {
            if error.connectionLost || pq.PQstatus(handle) != CONNECTION_OK {
                lost = PostgresError(server: server, message: "the session was lost: \(error.message)", sqlState: error.sqlState, connectionLost: true)
                return .failure(lost!)
            }
            // A statement failed inside a transaction: end it, so the session can go on.
            if pq.PQtransactionStatus(handle) != PQTRANS_IDLE { pq.PQclear(pq.PQexec(handle, "ROLLBACK")) }
            return .failure(error)
        }
    }

    /// The connection as seen from its own thread.
    struct Session {
        let handle: OpaquePointer
        let server: String

        /// Runs one statement with text parameters (`$1`, `$2`, …; nil is NULL) and returns its
        /// rows as text (nil is NULL).
        @discardableResult
        func execute(_ sql: String, _ parameters: [String?] = []) throws(PostgresError) -> [[String?]] {
            let result = withOptionalCStrings(parameters) { values in
                pq.PQexecParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
            }
            guard let result else {
                throw PostgresError(server: server, message: PostgresConnection.text(pq.PQerrorMessage(handle)), connectionLost: pq.PQstatus(handle) != CONNECTION_OK)
            }
            defer { pq.PQclear(result) }
            let status = pq.PQresultStatus(result)
            guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
                let field = { (code: Character) in pq.PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) } }
                let message = field("M") ?? PostgresConnection.text(pq.PQerrorMessage(handle))
                throw PostgresError(server: server, message: message, sqlState: field("C"), connectionLost: pq.PQstatus(handle) != CONNECTION_OK)
            }
            var rows: [[String?]] = []
            let columns = pq.PQnfields(result)
            for row in 0..<pq.PQntuples(result) {
                rows.append((0..<columns).map { column in
                    pq.PQgetisnull(result, row, column) == 1 ? nil : pq.PQgetvalue(result, row, column).map { String(cString: $0) } ?? ""
                })
            }
            return rows
        }

        /// Waits up to `milliseconds` for the session's socket, then returns the payloads of the
        /// notifications (LISTEN) that arrived; throws when the session is gone.
        func notifications(waitingUpTo milliseconds: Int32) throws(PostgresError) -> [String] {
            var descriptor = pollfd(fd: pq.PQsocket(handle), events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, milliseconds)
            guard pq.PQconsumeInput(handle) == 1 else {
                throw PostgresError(server: server, message: PostgresConnection.text(pq.PQerrorMessage(handle)), connectionLost: true)
            }
            var payloads: [String] = []
            while let notification = pq.PQnotifies(handle) {
                payloads.append(String(cString: notification.pointee.extra))
                pq.PQfreemem(notification)
            }
            return payloads
        }

        /// `body` in one transaction: committed when it returns, rolled back when it throws.
        func transaction<T>(_ body: () throws(PostgresError) -> T) throws(PostgresError) -> T {
            try execute("BEGIN")
            let value = try body()
            try execute("COMMIT")
            return value
        }
    }

    static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "unknown error" }
        return String(cString: pointer).trimmingTrailingNewlines()
    }
}

/// libpq's functions, loaded on the first connection.
private var pq: LibPQ { LibPQ.loaded }

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == " " { text.removeLast() }
        return String(text)
    }
}

/// C strings for the duration of `body`, NULL-terminated as libpq's keyword lists are.
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { for copy in copies { free(copy) } }
    let pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { for copy in copies { free(copy) } }
    let pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}
