import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import SpecSyncServerSupport

/// How the emulator and the sample API listen: one Hummingbird application per address (the
/// sample API is another host, so another port), its bound port reported to a `ListeningState`,
/// and one way to run either for the duration of a body.
enum EmulatorListener {
    /// Serves `router` until the task is cancelled or a graceful shutdown is triggered.
    /// `message` and `portKey`: the log line that says so ("emulator listening", "emulator.port").
    static func run(
        _ router: Router<EmulatorRequestContext>, host: String, port: Int, listening: ListeningState,
        message: Logger.Message, portKey: String, logger: Logger, tls: EmulatorTLS? = nil
    ) async throws {
        await listening.restart()
        let server: HTTPServerBuilder
        do {
            server = try tls?.serverBuilder() ?? .http1()
        } catch {
            await listening.failed(error)
            throw error
        }
        let app = Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port {
                    logger.info(message, metadata: [portKey: "\(port)"])
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

    /// "http://HOST:PORT" ("https://" with `secure`), bracketing an IPv6 host.
    static func baseURL(host: String, port: Int, secure: Bool = false) -> String {
        "\(secure ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// Runs `server` for the duration of `body`: starts it in a child task, waits until it listens
    /// (`listening`), and shuts it down gracefully (in-flight requests finish, idle connections
    /// close) when `body` returns or throws. Graceful rather than cancelled, so the server does not
    /// log errors on the way out.
    static func withRunning<Server: Service, T: Sendable>(
        _ server: Server, logger: Logger, listening: @Sendable (Server) async throws -> Int, _ body: (Server) async throws -> T
    ) async throws -> T {
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: T
            do {
                _ = try await listening(server)
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
}
