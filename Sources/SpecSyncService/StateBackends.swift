import SpecSyncCore
import SpecSyncTargets
import SpecSyncConfiguration
import SpecSyncPostgres

/// The backend the configuration names for a target: its state file, or its rows in PostgreSQL
/// with the password resolved as every secret is.
public enum StateBackends {
    /// `kind` chooses another backend than the configured one (`state migrate`).
    public static func make(
        _ configuration: Configuration, target: TargetSettings, environment: [String: String], specsyncVersion: String,
        kind: StateBackendKind? = nil
    ) throws -> any StateBackend {
        switch kind ?? configuration.state.backend {
        case .file:
            return FileStateBackend(store: StateStore(path: configuration.statePath(for: target), environment: environment))
        case .postgres:
            guard let postgres = configuration.state.postgres else {
                throw ConfigurationError(source: nil, location: nil, message: "the PostgreSQL state backend needs state.postgres.url (postgres://user@host:port/database) in the configuration")
            }
            let password = try postgres.password.map { try SecretResolver(environment: environment).resolve($0).value }
            return PostgresStateBackend(
                settings: PostgresConnectionSettings(postgres, password: password, specsyncVersion: specsyncVersion),
                target: target.identity)
        }
    }

    /// The channel through which the daemons of one target pass triggers to their leader; nil for
    /// the file backend, whose lock is one host's alone.
    public static func triggerChannel(
        _ configuration: Configuration, target: TargetSettings, environment: [String: String], specsyncVersion: String
    ) throws -> PostgresTriggerChannel? {
        guard configuration.state.backend == .postgres, let postgres = configuration.state.postgres else { return nil }
        let password = try postgres.password.map { try SecretResolver(environment: environment).resolve($0).value }
        return PostgresTriggerChannel(
            settings: PostgresConnectionSettings(postgres, password: password, specsyncVersion: specsyncVersion), target: target.identity)
    }

    /// Where the target's state is, in the words `StateBackend.location` uses, without opening anything.
    public static func location(_ configuration: Configuration, target: TargetSettings, kind: StateBackendKind? = nil) -> String {
        switch kind ?? configuration.state.backend {
        case .file: "state file \(configuration.statePath(for: target))"
        case .postgres: "PostgreSQL state of target \(target.name) at \(configuration.state.postgres?.server ?? "?")"
        }
    }
}
