import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncCore
import Synchronization

/// A target's state in PostgreSQL: a header row, one row per record, one row per outcome, and a
/// session-level advisory lock per target, keyed by a 64-bit hash of the target's identity (so
/// unrelated targets never wait for each other).
///
/// Every write goes through the session that holds the lock, each outcome in its own transaction:
/// an outcome counts once its transaction committed. A session that was lost (terminated, the
/// network gone) is never reopened, so a writer that lost its lock cannot write again (fencing).
public final class PostgresStateBackend: StateBackend {
    public let settings: PostgresConnectionSettings
    /// The configuration's target: its name keys the state, its identity the lock.
    public let target: TargetIdentity
    private var connection: PostgresConnection?
    private var locked = false
    /// Whether a header row exists for the target.
    private var recorded = false
    private var jobs: [(serial: Int, job: PostgresJob)] = []
    private let host = ProcessInfo.processInfo.hostName
    private let pid = Int(getpid())

    public init(settings: PostgresConnectionSettings, target: TargetIdentity) {
        self.settings = settings
        self.target = target
    }

    public var location: String { "PostgreSQL state of target \(target.name) at \(settings.server)" }

    /// The advisory lock's key: the first 8 bytes of SHA-256 over the target's kind and identity.
    public var lockKey: Int64 { Self.lockKey(for: target) }

    static func lockKey(for target: TargetIdentity) -> Int64 {
        let digest = SHA256.hash(data: Array("specsync state lock\u{0}\(target.kind)\u{0}\(target.identity)".utf8))
        return digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }

    private var stateKey: String { target.name }

    private func connected(isolation: isolated (any Actor)? = #isolation) async throws -> PostgresConnection {
        if let connection { return connection }
        let connection = try await PostgresConnection.connect(settings.parameters, server: settings.server)
        do {
            let version = settings.specsyncVersion
            try await connection.perform { session throws(PostgresError) in try PostgresSchema.migrate(session, specsyncVersion: version) }
        } catch {
            connection.close()
            throw error
        }
        self.connection = connection
        return connection
    }

    /// A read outside the lock (`state list`) does not keep its session open.
    private func disconnectUnlessLocked() {
        guard !locked else { return }
        connection?.close()
        connection = nil
    }

    public func load(isolation: isolated (any Actor)? = #isolation) async throws -> SyncState? {
        defer { disconnectUnlessLocked() }
        let key = stateKey
        let rows = try await connected().perform { session throws(PostgresError) in
            try session.transaction { () throws(PostgresError) -> (header: [String?]?, records: [[String?]]) in
                try session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let header = try session.execute("""
                    SELECT lineage, serial, target_name, target_kind, target_identity, last_synced_commit, inputs_fingerprint, registration
                    FROM specsync_states WHERE state_key = $1
                    """, [key]).first
                guard header != nil else { return (nil, []) }
                return (header, try session.execute("SELECT bundle, record FROM specsync_records WHERE state_key = $1", [key]))
            }
        }
        guard let header = rows.header else { return nil }
        recorded = true
        return try PostgresStateRows.state(header: header, records: rows.records, location: location)
    }

    public func lock(timeout: Duration, isolation: isolated (any Actor)? = #isolation) async throws -> any StateLease {
        let connection = try await connected()
        let (key, stateKey, host, pid) = (String(lockKey), self.stateKey, host, pid)
        let deadline = ContinuousClock.now + timeout
        while true {
            let holder = try await connection.perform { session throws(PostgresError) -> [String?]? in
                if try session.execute("SELECT pg_try_advisory_lock($1::bigint)", [key]).first?.first == "t" {
                    try session.execute("""
                        INSERT INTO specsync_lock_holders (lock_key, state_key, host, pid, backend_pid, since)
                        VALUES ($1::bigint, $2, $3, $4, pg_backend_pid(), now())
                        ON CONFLICT (lock_key) DO UPDATE SET state_key = excluded.state_key, host = excluded.host, pid = excluded.pid,
                            backend_pid = excluded.backend_pid, since = excluded.since
                        """, [key, stateKey, host, String(pid)])
                    return nil
                }
                // The holder row is its session's while that session holds an advisory lock.
                return try session.execute("""
                    SELECT h.host, h.pid, to_char(h.since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    FROM specsync_lock_holders h
                    WHERE h.lock_key = $1::bigint AND EXISTS (
                        SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.pid = h.backend_pid)
                    """, [key]).first ?? [nil, nil, nil]
            }
            guard let holder else {
                locked = true
                Self.watch(connection)
                return PostgresStateLease(connection: connection)
            }
            if ContinuousClock.now >= deadline {
                disconnectUnlessLocked()
                let who = holder[0].map { "pid \(holder[1] ?? "?") on \($0), since \(holder[2] ?? "?")" } ?? "holder unknown"
                let waited = timeout > .zero ? " after waiting \(timeout.components.seconds)s" : ""
                throw StateLockError(path: location, message: "another specsync run holds the state lock (\(who))\(waited)",
                                     help: "wait for it to finish, or pass --lock-timeout to wait; the lock is released when that process or its database session ends")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// An idle holder learns that its session was terminated only from its next statement: one a
    /// second makes `hasLostLock` true within about a second, pass or no pass, so a fenced leader
    /// steps down instead of advertising a lock it lost. Ends with the session.
    private static func watch(_ connection: PostgresConnection) {
        Task.detached {
            while !connection.isLost.load(ordering: .relaxed) {
                try? await Task.sleep(for: .seconds(1))
                _ = try? await connection.perform { session throws(PostgresError) in try session.execute("SELECT 1") }
            }
        }
    }

    public var hasUnsavedChanges: Bool { !recorded }

    public var hasLostLock: Bool { locked && connection?.isLost.load(ordering: .relaxed) != false }

    public func prepareWrite(isolation: isolated (any Actor)? = #isolation) async {}

    public func write(_ entry: StateJournalEntry, applied state: SyncState) throws {
        let connection = try writableConnection()
        let statements = PostgresStateRows.outcome(entry, state: state, stateKey: stateKey, host: host, pid: pid)
        jobs.append((entry.serial, connection.submit { session throws(PostgresError) in
            try session.transaction { () throws(PostgresError) in
                for statement in statements { try session.execute(statement.sql, statement.parameters) }
            }
        }))
        recorded = true
    }

    public func waitUntilDurable(_ serial: Int, isolation: isolated (any Actor)? = #isolation) async throws {
        // Jobs finish in order on the session's thread: waiting for the last one due waits for all.
        guard let last = jobs.last(where: { $0.serial <= serial }) else { return }
        do {
            try await last.job.wait()
        } catch let error as PostgresError {
            throw StateError(subject: location, path: location, problem: "could not record an outcome: \(error)",
                             help: error.connectionLost
                                 ? "this run lost its database session and with it the state lock, so it stops writing; the next run (or a standby) takes over and looks the unrecorded outcomes up by name"
                                 : "the outcome is not recorded; the next run looks it up by name")
        }
        jobs.removeAll { $0.serial <= serial }
    }

    public func save(_ state: SyncState, isolation: isolated (any Actor)? = #isolation) async throws {
        let statements = try PostgresStateRows.whole(state, stateKey: stateKey)
        try await run(statements, after: state.serial)
    }

    public func saveHeader(_ state: SyncState, isolation: isolated (any Actor)? = #isolation) async throws {
        var statements = [try PostgresStateRows.header(state, stateKey: stateKey)]
        // History of a pass's end; outcomes beyond the last 10,000 are pruned with it.
        if let commit = state.lastSyncedCommit {
            statements.append(PostgresStatement(sql: """
                INSERT INTO specsync_passes (state_key, commit, serial, host, pid, version) VALUES ($1, $2, $3, $4, $5, $6)
                """, parameters: [stateKey, commit, String(state.serial), host, String(pid), settings.specsyncVersion]))
        }
        statements.append(PostgresStatement(sql: "DELETE FROM specsync_outcomes WHERE state_key = $1 AND serial <= $2",
                                            parameters: [stateKey, String(state.serial - 10_000)]))
        try await run(statements, after: state.serial)
    }

    /// `statements` in one transaction behind the writes in flight, awaited.
    private func run(_ statements: [PostgresStatement], after serial: Int, isolation: isolated (any Actor)? = #isolation) async throws {
        try await waitUntilDurable(Int.max)
        let connection = try writableConnection()
        let job = connection.submit { session throws(PostgresError) in
            try session.transaction { () throws(PostgresError) in
                for statement in statements { try session.execute(statement.sql, statement.parameters) }
            }
        }
        do { try await job.wait() } catch {
            throw StateError(subject: location, path: location, problem: "could not be written: \(error)",
                             help: "the previous state is unchanged; check the database and run again")
        }
        recorded = true
    }

    private func writableConnection() throws -> PostgresConnection {
        guard locked, let connection else {
            throw StateError(subject: location, path: location, problem: "is not locked by this run", help: "report this as a bug: every writer takes the lock first")
        }
        return connection
    }
}
