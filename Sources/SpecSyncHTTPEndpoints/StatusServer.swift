import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import SpecSyncServerSupport

/// The HTTP server of the daemon: `GET /healthz` (liveness), `GET /readyz` (readiness, with a
/// snapshot of the loop), `GET /metrics` (Prometheus) and `POST /hooks/git` (a signed push hook
/// that triggers a pass early). Anything else is a 404.
///
/// Run it as a `Service` in the daemon's `ServiceGroup`; a graceful shutdown lets in-flight
/// requests finish and hands every hook already accepted to `onWebhook` before `run()` returns.
public final class StatusServer: Service, Sendable {
    private let settings: EndpointSettings
    private let metrics: SyncMetrics
    private let health: HealthState
    private let webhook: WebhookVerifier?
    private let onWebhook: @Sendable (String) async -> Void
    private let logger: Logger
    private let listening = ListeningState()

    /// Hooks accepted while the callback is still busy wait here; past this many the oldest are
    /// dropped, which loses nothing: each only says "fetch now", and the newest still does.
    static let pendingHooks = 8

    /// - Parameters:
    ///   - webhook: nil leaves `/hooks/git` answering 404, for a daemon that only polls.
    ///   - onWebhook: called with the provider ("github", "gitlab") after each verified hook, one
    ///     call at a time, outside the request; it should only enqueue a trigger.
    public init(
        settings: EndpointSettings, metrics: SyncMetrics, health: HealthState,
        webhook: WebhookVerifier?, onWebhook: @escaping @Sendable (String) async -> Void,
        logger: Logger
    ) {
        self.settings = settings
        self.metrics = metrics
        self.health = health
        self.webhook = webhook
        self.onWebhook = onWebhook
        self.logger = logger
    }

    /// Serves until the task is cancelled or a graceful shutdown is triggered.
    public func run() async throws {
        await listening.restart()
        let (triggers, continuation) = AsyncStream.makeStream(
            of: String.self, bufferingPolicy: .bufferingNewest(Self.pendingHooks))
        let responder = StatusResponder(
            metrics: metrics, health: health, webhook: webhook, triggers: continuation, logger: logger)
        let listening = self.listening
        let logger = self.logger
        if !settings.isLoopback {
            logger.warning("status endpoints listen beyond loopback: /metrics and /readyz are readable from other machines", metadata: [
                "http.host": "\(settings.host)", "hint": "set daemon.http.host: 127.0.0.1 and put a reverse proxy in front of /hooks/git",
            ])
        }
        let headTimeout = TimeAmount(settings.requestHeadTimeout)
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(
                additionalChannelHandlers: [RequestHeadTimeoutHandler(timeout: headTimeout)],
                idleTimeout: TimeAmount(settings.idleTimeout))),
            configuration: .init(
                address: .hostname(settings.host, port: settings.port),
                availableConnectionsDelegate: MaximumAvailableConnections(settings.maximumConnections, logger: logger)),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port {
                    logger.info("status server listening", metadata: ["http.port": "\(port)"])
                    await listening.listening(on: port)
                } else {
                    await listening.failed(StatusServerStartError.noPort)
                }
            },
            logger: logger)
        let onWebhook = self.onWebhook

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await provider in triggers {
                    await onWebhook(provider)
                }
            }
            // Ends the loop above once the server is done, after the hooks already queued.
            defer { continuation.finish() }
            do {
                try await app.run()
                await listening.failed(StatusServerStartError.stoppedBeforeListening)
            } catch {
                await listening.failed(error)
                throw error
            }
        }
    }

    /// The bound TCP port; waits until the server listens, throws if it failed to start.
    public var port: Int {
        get async throws { try await listening.port() }
    }
}
