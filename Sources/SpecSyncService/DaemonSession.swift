#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncCore
import SpecSyncEngine
import SpecSyncGit
import SpecSyncHTTPEndpoints
import SpecSyncTargets

/// Everything one configuration of the daemon holds open: the state (locked for the daemon's
/// life), the repository, the target client. SIGHUP builds a new one from the new configuration.
struct DaemonSession: Sendable {
    let configuration: Configuration
    let target: TargetSettings
    let store: StateStore
    let lock: StateLock
    let recorder: StateRecorder
    let repository: GitRepository
    let client: any SyncTarget
    let gitCredentials: GitCredentials?

    var isRemote: Bool { configuration.repository.url != nil }

    struct WatchSettings: Sendable {
        let repository: GitRepository
        let ref: String
        let isRemote: Bool
        let pollInterval: Duration
        let fetchInterval: Duration
    }

    var watchSettings: WatchSettings {
        WatchSettings(repository: repository, ref: configuration.repository.ref, isRemote: isRemote,
                      pollInterval: configuration.daemon.pollInterval, fetchInterval: configuration.daemon.fetchInterval)
    }

    var metadata: Logger.Metadata {
        ["target": "\(target.name)", "repository": "\(configuration.repository.url ?? configuration.repository.path)",
         "ref": "\(configuration.repository.ref)", "state": "\(store.path)"]
    }

    static func open(environment: SyncDaemon.Environment, logger: Logger, metrics: SyncMetrics) async throws -> DaemonSession {
        let configuration = try environment.loadConfiguration()
        let target = try configuration.target(named: environment.targetName)
        let store = StateStore(path: configuration.statePath(for: target), environment: environment.variables)
        let lock = try StateLock.acquire(forState: store.path)
        do {
            let state = try store.load(for: target.identity)
            let credentials = try gitCredentials(configuration, variables: environment.variables)
            let repository = try await openRepository(configuration, credentials: credentials, logger: logger)
            let client = try environment.makeTarget(configuration, target) { event in metrics.record(event, target: target.kind.rawValue) }
            return DaemonSession(
                configuration: configuration, target: target, store: store, lock: lock,
                recorder: StateRecorder(state: state, store: store), repository: repository, client: client,
                gitCredentials: credentials)
        } catch {
            lock.release()
            throw error
        }
    }

    /// The same state and repository with a new configuration's target, credentials and settings.
    /// A different repository or state location needs a restart.
    func reloaded(environment: SyncDaemon.Environment, logger: Logger, metrics: SyncMetrics) async throws -> DaemonSession {
        let configuration = try environment.loadConfiguration()
        let target = try configuration.target(named: environment.targetName)
        if configuration.statePath(for: target) != store.path || configuration.repository.path != self.configuration.repository.path
            || configuration.repository.url != self.configuration.repository.url {
            logger.warning("the repository or state location changed; restart specsync to use it")
        }
        let credentials = try Self.gitCredentials(configuration, variables: environment.variables)
        let client = try environment.makeTarget(configuration, target) { event in metrics.record(event, target: target.kind.rawValue) }
        var kept = configuration
        kept.repository = self.configuration.repository
        kept.state = self.configuration.state
        return DaemonSession(
            configuration: kept, target: target, store: store, lock: lock, recorder: recorder,
            repository: repository, client: client, gitCredentials: credentials)
    }

    func fetch(metrics: SyncMetrics, logger: Logger) async throws {
        let started = ContinuousClock.now
        do {
            try await repository.fetch(credentials: gitCredentials)
            metrics.recordFetch(duration: ContinuousClock.now - started, success: true)
        } catch {
            metrics.recordFetch(duration: ContinuousClock.now - started, success: false)
            throw error
        }
    }

    static func gitCredentials(_ configuration: Configuration, variables: [String: String]) throws -> GitCredentials? {
        guard let settings = configuration.repository.credentials else { return nil }
        let resolver = SecretResolver(environment: variables)
        if let key = settings.sshPrivateKey {
            return .sshKey(username: settings.username, privateKeyPath: key, publicKeyPath: settings.sshPublicKey,
                           passphrase: try settings.sshPassphrase.map { try resolver.resolve($0).value })
        }
        if let token = settings.token {
            return .token(username: settings.username, token: try resolver.resolve(token).value)
        }
        return nil
    }

    /// A local repository is opened as is; a remote one is cloned bare once into the state folder.
    static func openRepository(_ configuration: Configuration, credentials: GitCredentials?, logger: Logger) async throws -> GitRepository {
        let path = configuration.repository.path
        guard let url = configuration.repository.url else { return try GitRepository(path: path) }
        if FileManager.default.fileExists(atPath: LocalPath.join(path, "HEAD")) {
            return try GitRepository(path: path)
        }
        logger.notice("cloning the remote repository", metadata: ["url": "\(url)", "path": "\(path)"])
        try FileManager.default.createDirectory(atPath: LocalPath.parent(of: path), withIntermediateDirectories: true)
        return try await GitRepository.cloneBare(url: url, to: path, credentials: credentials)
    }
}

extension SyncMetrics {
    /// Counts what the HTTP client saw.
    func record(_ event: RequestEvent, target: String) {
        switch event {
        case .response(let method, let status): recordRequest(target: target, method: method, code: status)
        case .transportFailure(let method): recordRequest(target: target, method: method, code: 0)
        case .retry: recordRetry(target: target)
        }
    }
}
