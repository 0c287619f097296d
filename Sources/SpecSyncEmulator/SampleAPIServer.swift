import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SpecSyncServerSupport

/// A third-party API of the kind connection specs describe (Mailchimp members and campaigns, Acme
/// orders, customers, products, stores), on a listener of its own, since a third-party API is
/// another host. One endpoint per pagination type of the Sources SDK and deliberate traps, so that
/// `specsync preview` and the tests run specs against real HTTP. See `SampleAPIRoutes`.
public final class SampleAPIServer: Service, Sendable {
    public let configuration: SampleAPIConfiguration
    private let logger: Logger
    private let listening = ListeningState()

    public init(configuration: SampleAPIConfiguration = .init(), logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let router = Router(context: EmulatorRequestContext.self)
        SampleAPIRoutes(configuration: configuration).add(to: router)
        try await EmulatorListener.run(
            router, host: configuration.host, port: configuration.port, listening: listening,
            message: "sample API listening", portKey: "sample.port", logger: logger)
    }

    public var port: Int {
        get async throws { try await listening.port() }
    }

    /// "http://HOST:PORT": the origin a preview's `--origin` names.
    public var baseURL: String {
        get async throws { EmulatorListener.baseURL(host: configuration.host, port: try await port) }
    }
}

/// Runs a sample API for the duration of `body`, shut down gracefully afterwards.
public func withSampleAPI<T: Sendable>(
    _ configuration: SampleAPIConfiguration = .init(),
    logger: Logger = Logger(label: "sample-api"),
    _ body: (SampleAPIServer) async throws -> T
) async throws -> T {
    try await EmulatorListener.withRunning(
        SampleAPIServer(configuration: configuration, logger: logger), logger: logger, listening: { try await $0.port }, body)
}
