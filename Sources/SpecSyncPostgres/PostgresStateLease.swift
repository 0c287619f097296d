import SpecSyncCore

/// A target's advisory lock, held by the session it was taken in: ending the session releases it,
/// and the server ends it for a holder that dies or loses its network.
struct PostgresStateLease: StateLease {
    let connection: PostgresConnection

    func release() { connection.close() }
}
