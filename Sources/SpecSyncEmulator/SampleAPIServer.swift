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
        await listening.restart()
        let listening = self.listening
        let logger = self.logger
        let app = Application(
            responder: SampleAPIResponder(routes: SampleAPIRoutes(configuration: configuration)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port {
                    logger.info("sample API listening", metadata: ["sample.port": "\(port)"])
                    await listening.listening(on: port)
                } else {
                    await listening.failed(EmulatorStartError.noPort)
                }
            },
            logger: logger)
        do {
            try await app.run()
            await listening.failed(EmulatorStartError.stoppedBeforeListening)
        } catch {
            await listening.failed(error)
            throw error
        }
    }

    public var port: Int {
        get async throws { try await listening.port() }
    }

    /// "http://HOST:PORT": the origin a preview's `--origin` names.
    public var baseURL: String {
        get async throws {
            let port = try await port
            let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
            return "http://\(host):\(port)"
        }
    }
}

/// Runs a sample API for the duration of `body`, shut down gracefully afterwards.
public func withSampleAPI<T: Sendable>(
    _ configuration: SampleAPIConfiguration = .init(),
    logger: Logger = Logger(label: "sample-api"),
    _ body: (SampleAPIServer) async throws -> T
) async throws -> T {
    let server = SampleAPIServer(configuration: configuration, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { tasks in
        tasks.addTask { try await group.run() }
        let result: T
        do {
            _ = try await server.port
            result = try await body(server)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}
