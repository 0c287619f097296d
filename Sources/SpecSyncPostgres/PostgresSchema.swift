/// The tables specsync keeps in a PostgreSQL database, as numbered migrations applied in order at
/// start. A database whose schema is newer than this specsync knows is refused: an older specsync
/// must not write a newer state.
enum PostgresSchema {
    /// Each entry is one version; never edit a released one, append the next.
    static let migrations: [[String]] = [
        [
            // One row per target: what the state holds beside its records.
            """
            CREATE TABLE specsync_states (
                state_key text PRIMARY KEY,
                lineage text NOT NULL,
                serial bigint NOT NULL,
                target_name text NOT NULL,
                target_kind text NOT NULL,
                target_identity text NOT NULL,
                last_synced_commit text,
                inputs_fingerprint text,
                registration jsonb,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE specsync_records (
                state_key text NOT NULL REFERENCES specsync_states ON DELETE CASCADE,
                bundle text NOT NULL,
                record jsonb NOT NULL,
                PRIMARY KEY (state_key, bundle)
            )
            """,
            // Each outcome, committed in its own transaction with the records it changed: the
            // journal of the file backend, kept as history.
            """
            CREATE TABLE specsync_outcomes (
                state_key text NOT NULL,
                serial bigint NOT NULL,
                entry jsonb NOT NULL,
                host text NOT NULL,
                pid integer NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (state_key, serial)
            )
            """,
            // Who holds a target's advisory lock, for the message a refused run prints.
            """
            CREATE TABLE specsync_lock_holders (
                lock_key bigint PRIMARY KEY,
                state_key text NOT NULL,
                host text NOT NULL,
                pid integer NOT NULL,
                backend_pid integer NOT NULL,
                since timestamptz NOT NULL
            )
            """,
            """
            CREATE TABLE specsync_passes (
                id bigserial PRIMARY KEY,
                state_key text NOT NULL,
                commit text NOT NULL,
                finished_at timestamptz NOT NULL DEFAULT now(),
                serial bigint NOT NULL,
                host text NOT NULL,
                pid integer NOT NULL,
                version text NOT NULL
            )
            """,
        ],
    ]

    static var currentVersion: Int { migrations.count }

    /// Serialises migrations between processes that start at once; taken only when one is due.
    static let migrationLockKey: Int64 = 0x7370_6563_7379_6e63  // "specsync"

    /// Brings the database up to `currentVersion`, or refuses a newer one.
    static func migrate(_ session: PostgresConnection.Session, specsyncVersion: String) throws(PostgresError) {
        if try version(session) == currentVersion { return }
        try session.transaction { () throws(PostgresError) in
            try session.execute("SELECT pg_advisory_xact_lock($1::bigint)", [String(migrationLockKey)])
            try session.execute("""
                CREATE TABLE IF NOT EXISTS specsync_schema (
                    version integer PRIMARY KEY, specsync_version text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let found = try version(session)
            guard found <= currentVersion else {
                throw PostgresError(server: session.server, message: "the database has specsync schema version \(found), newer than this specsync understands (\(currentVersion)); upgrade specsync on this host (deploy/UPGRADING.md): an older one must not write a newer state")
            }
            for version in (found + 1)...max(found + 1, currentVersion) where version <= currentVersion {
                for statement in migrations[version - 1] { try session.execute(statement) }
                try session.execute("INSERT INTO specsync_schema (version, specsync_version) VALUES ($1, $2)", [String(version), specsyncVersion])
            }
        }
    }

    /// 0 for a database specsync never used.
    static func version(_ session: PostgresConnection.Session) throws(PostgresError) -> Int {
        guard try session.execute("SELECT to_regclass('specsync_schema') IS NOT NULL").first?.first == "t" else { return 0 }
        return Int(try session.execute("SELECT coalesce(max(version), 0) FROM specsync_schema").first?.first.flatMap { $0 } ?? "0") ?? 0
    }
}
