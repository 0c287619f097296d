import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncGit

extension RepositoryMirror {
    /// The mirror `configuration.repository` describes, nil for a local repository. Used by every command
    /// and the daemon, so they clone, fetch and check the same way.
    public init?(
        configuration: Configuration, variables: [String: String], shouldStop: (@Sendable () -> Bool)? = nil
    ) throws {
        let settings = configuration.repository
        guard let url = settings.url else { return nil }
        self.init(
            url: url, path: settings.path, credentials: try Self.credentials(configuration, variables: variables),
            network: GitNetworkOptions(
                connectTimeout: settings.connectTimeout, inactivityTimeout: settings.inactivityTimeout,
                shouldStop: shouldStop,
                knownHosts: try settings.knownHosts.map { try KnownHosts(path: try $0.path(environment: variables, setting: "repository.knownHosts")) },
                caFile: try settings.caFile?.path(environment: variables, setting: "repository.caFile")))
    }

    /// `repository.credentials` with its secrets read.
    public static func credentials(_ configuration: Configuration, variables: [String: String]) throws -> GitCredentials? {
        guard let settings = configuration.repository.credentials else { return nil }
        let resolver = SecretResolver(environment: variables)
        if let key = settings.sshPrivateKey {
            return .sshKey(
                username: settings.username,
                privateKeyPath: try key.path(environment: variables, setting: "repository.credentials.sshKey.privateKey"),
                publicKeyPath: try settings.sshPublicKey?.path(environment: variables, setting: "repository.credentials.sshKey.publicKey"),
                passphrase: try settings.sshPassphrase.map { try resolver.resolve($0).value })
        }
        if let token = settings.token {
            return .token(username: settings.username, token: try resolver.resolve(token).value)
        }
        return nil
    }
}
