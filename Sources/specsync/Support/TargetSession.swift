import AsyncHTTPClient
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
import SpecSyncPostgres
import SpecSyncService
import SpecSyncTargets

/// What a command that talks to a target needs: the configuration, the chosen target, its state
/// store, the repository and the target's client.
struct TargetSession {
    let configuration: Configuration
    let target: TargetSettings
    let store: StateStore
    let logger: Logger
    let environment: [String: String]

    init(global: GlobalOptions, targetName: String?, context: CommandContext, logger: Logger) throws {
        configuration = try global.loadConfiguration(context: context)
        do { target = try configuration.target(named: targetName) } catch { throw CommandFailure(error.description) }
        store = StateStore(path: configuration.statePath(for: target), environment: context.environment)
        self.logger = logger
        environment = context.environment
    }

    /// Where the state is, in messages: "state file /srv/.specsync/prod.state.json", or its PostgreSQL rows.
    var stateLocation: String { StateBackends.location(configuration, target: target) }

    /// The state file's path, or `stateLocation` for another backend, for JSON output.
    var statePath: String { configuration.state.backend == .file ? store.path : stateLocation }

    /// The configured backend of this target's state, or the one `kind` names.
    func makeBackend(_ kind: StateBackendKind? = nil) throws -> any StateBackend {
        do {
            return try StateBackends.make(configuration, target: target, environment: environment, specsyncVersion: SpecSyncVersion.current, kind: kind)
        } catch let error as CustomStringConvertible { throw CommandFailure(error.description) }
    }

    /// The state file's last synced commit, unverified, for reading ahead (`StateStore.lastSyncedCommitHint`);
    /// nil for a state kept elsewhere.
    var lastSyncedCommitHint: String? { configuration.state.backend == .file ? store.lastSyncedCommitHint() : nil }

    /// The state (nil when none was written yet), refused when it belongs to another target.
    func loadState() async throws -> SyncState? {
        let backend = try makeBackend()
        do {
            return try await backend.load(isolation: #isolation)?.owned(by: target.identity, location: backend.location)
        } catch let error as CustomStringConvertible { throw CommandFailure(error.description) }
    }

    /// The state's one writer, holding the state lock until `close()`; waits up to `lockTimeout`
    /// for a lock another run holds.
    func openRecorder(lockTimeout: Duration = .zero) async throws -> StateRecorder {
        let backend = try makeBackend()
        do { return try await StateRecorder.open(backend: backend, for: target.identity, lockTimeout: lockTimeout) } catch let error as CustomStringConvertible {
            throw CommandFailure(error.description)
        }
    }

    /// Where this target's bundles are in the repository.
    var layout: BundleLayout { target.layout(bundles: configuration.bundles) }

    /// The target's client; `readOnly` refuses every non-GET request to the API (IMS token requests still go out).
    func client(readOnly: Bool, context: CommandContext, observe: @escaping @Sendable (RequestEvent) -> Void = { _ in }) throws -> any SyncTarget {
        do {
            let transport = try AsyncHTTPTransport(settings: target.http, target: target.name, environment: context.environment)
            return try target.makeClient(
                environment: context.environment, transport: readOnly ? ReadOnlyTransport(transport) : transport,
                tokenTransport: transport, observe: observe, logger: logger)
        } catch let error as ConfigurationError {
            throw CommandFailure(error.description)
        } catch let error as SecretError {
            throw CommandFailure(error.description)
        }
    }
}
