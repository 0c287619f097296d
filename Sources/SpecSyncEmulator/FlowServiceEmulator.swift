import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SpecSyncServerSupport

/// A local Adobe IMS and Flow Service (plus Flxpoint and Versori connections): the same paths, headers, status codes and error shapes as
/// the real APIs, with state kept in memory and failures injected on purpose. A peer for clients
/// to be tested against over real HTTP, not a mock that answers what the test expects.
///
/// Point a client at `baseURL + "/data/foundation/flowservice"` for Flow Service and at `baseURL`
/// for IMS. The same process also serves Flxpoint (`flxpointURL`) and Versori (`versoriURL`)
/// connections, with the same latency and faults. Run it as a `Service` in a `ServiceGroup`, or with `withFlowServiceEmulator`.
public final class FlowServiceEmulator: Service, Sendable {
    public let configuration: EmulatorConfiguration
    /// Everything the sandbox holds, and statistics, for tests to inspect in-process.
    public let store: SpecStore
    /// The emulated Flxpoint account's connections, secrets unmasked.
    public let flxpointStore: FlxpointStore
    /// The emulated Versori organisation's connections.
    public let versoriStore: VersoriStore
    /// The verification chain's connections, flows and runs.
    public let verificationStore = VerificationStore()
    private let logger: Logger
    private let tokens: TokenRegistry
    private let faults: FaultInjector
    private let listening = ListeningState()

    public init(configuration: EmulatorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        store = SpecStore(configuration: configuration)
        flxpointStore = FlxpointStore()
        versoriStore = VersoriStore()
        tokens = TokenRegistry(lifetime: configuration.tokenLifetime)
        faults = FaultInjector(plan: configuration.faults)
    }

    /// Serves until the task is cancelled or a graceful shutdown is triggered.
    public func run() async throws {
        let routes = EmulatorRoutes(
            configuration: configuration, store: store, flxpointStore: flxpointStore, versoriStore: versoriStore,
            tokens: tokens, faults: faults, verificationStore: verificationStore)
        try await EmulatorListener.run(
            routes.router(), host: configuration.host, port: configuration.port, listening: listening,
            message: "emulator listening", portKey: "emulator.port", logger: logger, tls: configuration.tls)
    }

    /// The bound TCP port; waits until the server listens, throws if it failed to start.
    public var port: Int {
        get async throws { try await listening.port() }
    }

    /// "http://HOST:PORT" ("https://" with `configuration.tls`): the IMS base; Flow Service is under
    /// "/data/foundation/flowservice".
    public var baseURL: String {
        get async throws { EmulatorListener.baseURL(host: configuration.host, port: try await port, secure: configuration.tls != nil) }
    }

    /// Flow Service's base URL, as a client's configuration names it.
    public var flowServiceURL: String {
        get async throws { try await baseURL + "/data/foundation/flowservice" }
    }

    /// Flxpoint's base URL ("BASE/flxpoint"): connections are at "/connections".
    public var flxpointURL: String {
        get async throws { try await baseURL + "/flxpoint" }
    }

    /// Versori Connect's base URL ("BASE/versori/api/connect/v1"): connections are at
    /// "/o/{organisation}/connectors/{connector}/connections".
    public var versoriURL: String {
        get async throws { try await baseURL + "/versori/api/connect/v1" }
    }

    /// Replaces the fault plan from the next request on, restarting its generator from `faults.seed`.
    public func setFaults(_ faults: FaultPlan) async {
        await self.faults.replace(faults)
    }

    /// The fault plan in force.
    public var currentFaults: FaultPlan {
        get async { await faults.plan }
    }
}

/// Runs an emulator for the duration of `body`: starts it in a child task, waits until it listens,
/// and shuts it down gracefully (in-flight requests finish, idle connections close) when `body`
/// returns or throws. Graceful rather than cancelled, so the server does not log errors on the way out.
public func withFlowServiceEmulator<T: Sendable>(
    _ configuration: EmulatorConfiguration = .init(),
    logger: Logger = Logger(label: "emulator"),
    _ body: (FlowServiceEmulator) async throws -> T
) async throws -> T {
    try await EmulatorListener.withRunning(
        FlowServiceEmulator(configuration: configuration, logger: logger), logger: logger, listening: { try await $0.port }, body)
}
