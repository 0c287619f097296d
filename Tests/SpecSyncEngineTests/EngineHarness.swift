import AsyncHTTPClient
import Foundation
import Logging
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncEngine
import SpecSyncGit
import SpecSyncJSON
import SpecSyncSource
import SpecSyncTargets
import SpecSyncTestSupport

/// A real repository, a real emulator on a loopback port, a real state file: one sync pass at a time.
struct EngineHarness {
    let fixture: GitFixture
    let stateDirectory: TemporaryDirectory
    let emulator: FlowServiceEmulator
    let configuration: EmulatorConfiguration
    let identity = TargetIdentity(name: "test", kind: "flowService", identity: "emulator")

    var store: StateStore { StateStore(path: stateDirectory.path + "/test.state.json") }

    static func with<T: Sendable>(
        bundles: [String], configuration: EmulatorConfiguration = EmulatorConfiguration(),
        _ body: (EngineHarness) async throws -> T
    ) async throws -> T {
        let fixture = try GitFixture()
        let stateDirectory = try TemporaryDirectory()
        defer {
            fixture.cleanUp()
            stateDirectory.remove()
        }
        for source in bundles { try SampleBundle.write(source, in: fixture.directory) }
        try fixture.commitAll("bundles")
        return try await withFlowServiceEmulator(configuration) { emulator in
            try await body(EngineHarness(fixture: fixture, stateDirectory: stateDirectory, emulator: emulator, configuration: configuration))
        }
    }

    /// `pacer`, `concurrency` and `pricedConcurrency` as `FlowServiceClient` takes them (an adaptive
    /// limiter's test passes its own).
    func client(retry: RetryPolicy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200)),
                pacer: (any RequestPacing)? = nil, concurrency: Int = 64, pricedConcurrency: Int? = nil,
                timeout: Duration = .seconds(10),
                observe: @escaping @Sendable (RequestEvent) -> Void = { _ in }) async throws -> FlowServiceClient {
        let base = try await emulator.baseURL
        let transport = AsyncHTTPTransport(timeout: timeout)
        let tokens = IMSTokenProvider(
            credentials: .init(imsURL: base, clientID: configuration.clientID, clientSecret: Secret(configuration.clientSecret), scopes: ["openid"]),
            transport: transport, clock: ContinuousClock(), logger: Logger(label: "test.ims"))
        return FlowServiceClient(
            endpoint: FlowServiceEndpoint(baseURL: base + "/data/foundation/flowservice", orgID: configuration.orgID,
                                          sandbox: configuration.sandbox, clientID: configuration.clientID),
            transport: transport, tokens: tokens, retry: retry, pacer: pacer, concurrency: concurrency,
            pricedConcurrency: pricedConcurrency, observe: observe, logger: Logger(label: "test.flow"))
    }

    /// One `sync --once` pass over HEAD with the state on disk.
    func sync(
        concurrency: Int = 4, client: FlowServiceClient? = nil, target other: (any SyncTarget)? = nil,
        failureBackoff: FailureBackoff? = nil, options baseOptions: SyncEngine.Options = SyncEngine.Options()
    ) async throws -> SyncReport {
        let lock = try StateLock.acquire(forState: store.path)
        defer { lock.release() }
        let repository = try GitRepository(path: fixture.path)
        let commit = try await repository.resolveCommit("HEAD")
        var options = baseOptions
        options.concurrency = concurrency
        options.retry = RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(200))
        options.policy.failureBackoff = failureBackoff
        let target: any SyncTarget
        if let other { target = other } else if let client { target = client } else { target = try await self.client() }
        let engine = SyncEngine(
            repository: repository, layout: BundleLayout(), target: target,
            options: options, logger: Logger(label: "test.engine"))
        let recorder = StateRecorder(state: try store.load() ?? SyncState(target: identity), store: store)
        return try await engine.run(commit: commit, recorder: recorder)
    }

    /// Passes until everything is in sync, as a daemon or a CI retry would; at most `maxPasses`.
    func syncUntilInSync(maxPasses: Int) async throws -> SyncReport {
        var report = try await sync()
        for _ in 1..<maxPasses where !report.isInSync {
            report = try await sync()
        }
        return report
    }

    /// The desired body of `source` at HEAD, as specsync computes it.
    func desiredBody(_ source: String) async throws -> ReplacementBody {
        let repository = try GitRepository(path: fixture.path)
        let commit = try await repository.resolveCommit("HEAD")
        let bundle = try await GitCommitSource(repository: repository, commit: commit, layout: BundleLayout()).bundles([BundleID(source)])[0]
        return try BundleEvaluator(layout: BundleLayout()).evaluate(bundle).body.unwrap("no body for \(source)")
    }
}

extension Optional {
    func unwrap(_ message: String) throws -> Wrapped {
        guard let self else { throw HarnessError(message) }
        return self
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The stored spec minus everything the server adds: what the last PUT or POST body said.
func sentBody(_ stored: JSONValue) -> JSONValue {
    guard case .object(var object) = stored else { return stored }
    for field in ReplacementBodyBuilder.serverOwnedFields + ["permissionsInfo"] { object[field] = nil }
    return .object(object)
}
