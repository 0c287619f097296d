#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine
import SpecSyncGit
import SpecSyncHTTPEndpoints
import SpecSyncPostgres
import SpecSyncTargets

/// Everything one configuration of the daemon holds open: the state (locked for the daemon's
/// life), the repository, the target client. SIGHUP builds a new one from the new configuration.
struct DaemonSession: Sendable {
    let configuration: Configuration
    let target: TargetSettings
    /// Where the state is (`StateBackend.location`).
    let stateLocation: String
    let recorder: StateRecorder
    let repository: GitRepository
    let client: any SyncTarget
    /// The remote's clone; nil for a local repository.
    let mirror: RepositoryMirror?

    var isRemote: Bool { mirror != nil }

    struct WatchSettings: Sendable {
        let repository: GitRepository
        let ref: String
        let isRemote: Bool
        let pollInterval: Duration
        let fetchInterval: Duration
        /// Watch a local repository's refs with inotify (else poll them).
        let useInotify: Bool
    }

    var watchSettings: WatchSettings {
        WatchSettings(repository: repository, ref: configuration.repository.ref, isRemote: isRemote,
                      pollInterval: configuration.daemon.pollInterval, fetchInterval: configuration.daemon.fetchInterval,
                      useInotify: configuration.daemon.watch == .inotify)
    }

    var metadata: Logger.Metadata {
        ["target": "\(target.name)", "repository": "\(mirror?.displayURL ?? configuration.repository.path)",
         "ref": "\(configuration.repository.ref)", "state": "\(stateLocation)"]
    }

    /// `shouldStop` ends a clone or fetch in flight (SIGTERM); `lockTimeout` is how long to wait for
    /// the state lock another instance holds before throwing `StateLockError`.
    static func open(
        environment: SyncDaemon.Environment, logger: Logger, metrics: SyncMetrics, lockTimeout: Duration = .zero,
        shouldStop: @escaping @Sendable () -> Bool
    ) async throws -> DaemonSession {
        let configuration = try environment.loadConfiguration()
        let target = try configuration.target(named: environment.targetName)
        let backend = try StateBackends.make(configuration, target: target, environment: environment.variables, specsyncVersion: environment.version)
        let recorder = try await StateRecorder.open(backend: backend, for: target.identity, lockTimeout: lockTimeout)
        do {
            let mirror = try environment.makeMirror(configuration, shouldStop)
            let repository = try await openRepository(configuration, mirror: mirror, logger: logger)
            let client = try environment.makeTarget(configuration, target) { event in metrics.record(event, target: target.kind.rawValue) }
            return DaemonSession(
                configuration: configuration, target: target, stateLocation: recorder.location,
                recorder: recorder, repository: repository, client: client,
                mirror: mirror)
        } catch {
            recorder.close()
            throw error
        }
    }

    /// The same state and repository with a new configuration's target, credentials and settings.
    /// A different repository or state location needs a restart.
    func reloaded(
        environment: SyncDaemon.Environment, logger: Logger, metrics: SyncMetrics, shouldStop: @escaping @Sendable () -> Bool
    ) async throws -> DaemonSession {
        let configuration = try environment.loadConfiguration()
        let target = try configuration.target(named: environment.targetName)
        if StateBackends.location(configuration, target: target) != stateLocation || configuration.state != self.configuration.state
            || configuration.repository.path != self.configuration.repository.path
            || configuration.repository.url != self.configuration.repository.url {
            logger.warning("the repository or state location changed; restart specsync to use it")
        }
        let client = try environment.makeTarget(configuration, target) { event in metrics.record(event, target: target.kind.rawValue) }
        var kept = configuration
        kept.repository = self.configuration.repository
        kept.repository.credentials = configuration.repository.credentials  // rotated secrets apply at once
        kept.state = self.configuration.state
        let mirror = try environment.makeMirror(kept, shouldStop)
        return DaemonSession(
            configuration: kept, target: target, stateLocation: stateLocation, recorder: recorder,
            repository: repository, client: client, mirror: mirror)
    }

    func fetch(metrics: SyncMetrics, logger: Logger) async throws {
        let started = ContinuousClock.now
        do {
            try await mirror?.fetch(into: repository)
            metrics.recordFetch(duration: ContinuousClock.now - started, success: true)
        } catch {
            metrics.recordFetch(duration: ContinuousClock.now - started, success: false)
            throw error
        }
    }

    /// A local repository is opened as is; a remote one through its mirror, cloned on first use.
    static func openRepository(_ configuration: Configuration, mirror: RepositoryMirror?, logger: Logger) async throws -> GitRepository {
        guard let mirror else { return try GitRepository(path: configuration.repository.path) }
        // The clone is current, and the first pass fetches anyway.
        return try await mirror.open(fetch: false) { event in mirror.log(event, logger: logger) }
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
