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
                shouldStop: shouldStop, knownHosts: try settings.knownHosts.map(KnownHosts.init(path:)),
                caFile: settings.caFile))
    }

    /// `repository.credentials` with its secrets read.
    public static func credentials(_ configuration: Configuration, variables: [String: String]) throws -> GitCredentials? {
        guard let settings = configuration.repository.credentials else { return nil }
        let resolver = SecretResolver(environment: variables)
        if let key = settings.sshPrivateKey {
            return .sshKey(
                username: settings.username, privateKeyPath: key, publicKeyPath: settings.sshPublicKey,
                passphrase: try settings.sshPassphrase.map { try resolver.resolve($0).value })
        }
        if let token = settings.token {
            return .token(username: settings.username, token: try resolver.resolve(token).value)
        }
        return nil
    }
}
