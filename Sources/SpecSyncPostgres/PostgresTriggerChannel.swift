import SpecSyncCore
import Synchronization

/// Triggers passed between the daemons of one target through the database (LISTEN/NOTIFY on a
/// channel named after the target's lock key): a standby that receives a webhook or SIGHUP sends
/// it here, and the leader, listening, runs the pass. A notification sent while no one listens is
/// lost, as a trigger may be: passes are level-triggered, the next one catches up.
public final class PostgresTriggerChannel: Sendable {
    let settings: PostgresConnectionSettings
    /// `specsync_trigger_<lock key in hex>`: unrelated targets never hear each other.
    public let channel: String
    private let stopped = Atomic<Bool>(false)

    public init(settings: PostgresConnectionSettings, target: TargetIdentity) {
        self.settings = settings
        let key = UInt64(bitPattern: PostgresStateBackend.lockKey(for: target))
        let hex = String(key, radix: 16)
        channel = "specsync_trigger_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Sends `payload` to whoever listens, over a session of its own (triggers are rare).
    public func send(_ payload: String) async throws {
        let connection = try await PostgresConnection.connect(settings.parameters, server: settings.server)
        defer { connection.close() }
        let channel = self.channel
        try await connection.perform { session throws(PostgresError) in
            try session.execute("SELECT pg_notify($1, $2)", [channel, payload])
        }
    }

    /// Calls `received` with each payload sent on the channel until `stop()`. A lost session is
    /// opened again after a second; `failed` hears why (once per outage).
    public func listen(received: @escaping @Sendable (String) async -> Void, failed: @escaping @Sendable (PostgresError) -> Void) async {
        var reported = false
        while !stopped.load(ordering: .relaxed) && !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(settings.parameters, server: settings.server)
                defer { connection.close() }
                let channel = self.channel
                try await connection.perform { session throws(PostgresError) in try session.execute("LISTEN \(channel)") }
                reported = false
                while !stopped.load(ordering: .relaxed) && !Task.isCancelled {
                    // The wait blocks the session's own thread, never the cooperative pool.
                    let payloads = try await connection.perform { session throws(PostgresError) in
                        try session.notifications(waitingUpTo: 250)
                    }
                    for payload in payloads { await received(payload) }
                }
            } catch {
                if !reported, let error = error as? PostgresError { failed(error) }
                reported = true
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Ends `listen` within a quarter of a second.
    public func stop() { stopped.store(true, ordering: .relaxed) }
}
