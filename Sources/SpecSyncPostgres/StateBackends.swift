import SpecSyncCore
import SpecSyncTargets

/// The backend the configuration names for a target: its state file, or its rows in PostgreSQL
/// with the password resolved as every secret is.
public enum StateBackends {
    public static func make(
        _ configuration: Configuration, target: TargetSettings, environment: [String: String], specsyncVersion: String
    ) throws -> any StateBackend {
        switch configuration.state.backend {
        case .file:
            return FileStateBackend(store: StateStore(path: configuration.statePath(for: target), environment: environment))
        case .postgres:
            guard let postgres = configuration.state.postgres else {
                throw ConfigurationError(source: nil, location: nil, message: "state.backend is postgres but state.postgres is missing")
            }
            let password = try postgres.password.map { try SecretResolver(environment: environment).resolve($0).value }
            return PostgresStateBackend(
                settings: PostgresConnectionSettings(postgres, password: password, specsyncVersion: specsyncVersion),
                target: target.identity)
        }
    }

    /// Where the target's state is, in the words `StateBackend.location` uses, without opening anything.
    public static func location(_ configuration: Configuration, target: TargetSettings) -> String {
        switch configuration.state.backend {
        case .file: "state file \(configuration.statePath(for: target))"
        case .postgres: "PostgreSQL state of target \(target.name) at \(configuration.state.postgres?.server ?? "?")"
        }
    }
}
