import SpecSyncCore

/// What libpq is given to connect: the URL, the resolved password, TLS, and timeouts that let a
/// lost peer be noticed in seconds, not at the system's TCP timeout.
public struct PostgresConnectionSettings: Sendable {
    /// "host:port/database", for messages.
    public let server: String
    let parameters: [(String, String)]
    /// Written into the schema and pass history.
    let specsyncVersion: String

    public init(_ settings: PostgresStateSettings, password: String?, specsyncVersion: String) {
        var parameters: [(String, String)] = [
            ("dbname", settings.url),
            ("application_name", "specsync"),
            ("connect_timeout", "10"),
            ("keepalives", "1"), ("keepalives_idle", "5"), ("keepalives_interval", "2"), ("keepalives_count", "3"),
            ("tcp_user_timeout", "10000"),
        ]
        if let password { parameters.append(("password", password)) }
        if let mode = settings.sslMode { parameters.append(("sslmode", mode)) }
        if let root = settings.sslRootCert { parameters.append(("sslrootcert", root)) }
        self.parameters = parameters
        self.server = settings.server
        self.specsyncVersion = specsyncVersion
    }
}
