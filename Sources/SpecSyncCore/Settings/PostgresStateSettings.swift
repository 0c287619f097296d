/// `state.postgres`: where the shared state lives when `state.backend` is `postgres`.
public struct PostgresStateSettings: Sendable, Equatable {
    /// `postgres://user@host:port/database` (libpq's URI form; query parameters such as
    /// `?connect_timeout=5` are passed on). Never with a password in it: see `password`.
    public var url: String
    /// `{credential: NAME}`, `{env: NAME}` or `{file: PATH}`; nil leaves it to libpq
    /// (`PGPASSWORD`, `~/.pgpass`, or an authentication that needs none).
    public var password: SecretReference?
    /// libpq's `sslmode`: disable, allow, prefer, require, verify-ca or verify-full; nil is what the
    /// URL says, else libpq's default (prefer).
    public var sslMode: String?
    /// The CA certificate(s) to check the server against (`sslrootcert`), for verify-ca and verify-full.
    public var sslRootCert: String?

    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    public init(url: String, password: SecretReference? = nil, sslMode: String? = nil, sslRootCert: String? = nil) {
        self.url = url
        self.password = password
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
    }

    /// "host:port/database" from the URL, for messages (never the user or a password).
    public var server: String {
        var rest = Substring(url)
        if let scheme = rest.firstRange(of: "://") { rest = rest[scheme.upperBound...] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        return String(rest)
    }
}

/// `state.backend`.
public enum StateBackendKind: String, Sendable, Equatable {
    /// One state file per target in `state.directory` (the default).
    case file
    /// Tables in a PostgreSQL database shared by every host (`state.postgres`).
    case postgres
}
