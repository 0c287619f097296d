extension ConfigurationLoader {
    /// The keys of `state` besides `directory`: `backend` and `postgres`.
    static let stateBackendKeys = ["backend", "postgres"]

    /// Reads `state.backend` and `state.postgres` from the `state` section.
    func readStateBackend(_ section: [(String, YAMLNode)], node: YAMLNode, into state: inout Configuration.StateSettings, reader: NodeReader, base: String) throws(ConfigurationError) {
        if let value = section["backend"] {
            let text = try reader.string(value, path: "state.backend")
            guard let kind = StateBackendKind(rawValue: text) else {
                throw reader.error(value, "'state.backend' must be file or postgres, found '\(text)'")
            }
            state.backend = kind
        }
        if let value = section["postgres"] {
            state.postgres = try readPostgres(value, reader: reader, base: base)
        }
        if state.backend == .postgres && state.postgres == nil {
            throw reader.error(node, "'state.backend' is postgres but 'state.postgres' is missing: add state.postgres.url (postgres://user@host:port/database)")
        }
    }

    private func readPostgres(_ node: YAMLNode, reader: NodeReader, base: String) throws(ConfigurationError) -> PostgresStateSettings {
        let section = try reader.mapping(node, path: "state.postgres", allowed: ["url", "password", "sslmode", "sslrootcert"])
        guard let urlNode = section["url"] else {
            throw reader.error(node, "'state.postgres' needs url: postgres://user@host:port/database")
        }
        let url = try reader.string(urlNode, path: "state.postgres.url")
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw reader.error(urlNode, "'state.postgres.url' must start with postgres:// (postgres://user@host:port/database)")
        }
        // A password in the URL would sit in the configuration in clear; it has its own key.
        let authority = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).dropFirst(2).first ?? ""
        if let at = authority.lastIndex(of: "@"), authority[..<at].contains(":") {
            throw reader.error(urlNode, "'state.postgres.url' holds a password: remove it from the URL and name it under state.postgres.password ({credential: NAME}, {env: NAME} or {file: PATH})")
        }
        var settings = PostgresStateSettings(url: url)
        if let value = section["password"] { settings.password = try readSecret(value, path: "state.postgres.password", reader: reader) }
        if let value = section["sslmode"] {
            let mode = try reader.string(value, path: "state.postgres.sslmode")
            guard PostgresStateSettings.sslModes.contains(mode) else {
                throw reader.error(value, "'state.postgres.sslmode' must be one of \(PostgresStateSettings.sslModes.joined(separator: ", ")), found '\(mode)'")
            }
            settings.sslMode = mode
        }
        if let value = section["sslrootcert"] {
            settings.sslRootCert = absolute(try reader.string(value, path: "state.postgres.sslrootcert"), base: base)
        }
        return settings
    }
}
