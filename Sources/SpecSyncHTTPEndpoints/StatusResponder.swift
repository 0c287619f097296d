import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Answers the four routes of the status server. A hand-written switch rather than a `Router`:
/// four fixed paths, and every other method or path must be a plain 404.
struct StatusResponder: HTTPResponder {
    typealias Context = StatusRequestContext

    /// Push events are a few kilobytes, large ones a few hundred; anything bigger is not a hook.
    static let maximumBodySize = 1 << 20

    let metrics: SyncMetrics
    let health: HealthState
    let webhook: WebhookVerifier?
    /// Verified hooks go here; a task of the server hands them to the daemon's callback, so the
    /// host gets its 202 without waiting for whatever the callback does.
    let triggers: AsyncStream<String>.Continuation
    let logger: Logger

    func respond(to request: Request, context: Context) async throws -> Response {
        switch (request.method, request.uri.path) {
        case (.get, "/healthz"):
            return .json(.ok, "status", "ok")
        case (.get, "/readyz"):
            let snapshot = await health.snapshot()
            return .json(snapshot.ready ? .ok : .serviceUnavailable, snapshot.jsonBytes())
        case (.get, "/metrics"):
            return .bytesResponse(
                .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", Array(metrics.render().utf8))
        case (.post, "/hooks/git"):
            return await hook(request, context: context)
        default:
            return .json(.notFound, "error", "not found")
        }
    }

    private func hook(_ request: Request, context: Context) async -> Response {
        guard let webhook else {
            return .json(.notFound, "error", "webhook not configured")
        }
        var logger = logger
        logger[metadataKey: "http.remote"] = context.remoteAddress.map { "\($0)" }
        logger[metadataKey: "webhook.delivery"] = Self.deliveryID(request.headers).map { "\($0)" }

        let body: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: Self.maximumBodySize)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            metrics.recordWebhook(accepted: false)
            logger.warning("webhook rejected", metadata: ["webhook.reason": "body too large"])
            return .json(.contentTooLarge, "error", "request body exceeds \(Self.maximumBodySize) bytes")
        }

        let headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
        switch webhook.verify(headers: headers, body: body) {
        case .accepted(let provider):
            metrics.recordWebhook(accepted: true)
            logger.info("webhook accepted", metadata: ["webhook.provider": "\(provider)"])
            triggers.yield(provider)
            return .json(.accepted, "status", "accepted")
        case .rejected(let reason):
            metrics.recordWebhook(accepted: false)
            logger.warning("webhook rejected", metadata: ["webhook.reason": "\(reason)"])
            return .json(.unauthorized, "error", reason)
        }
    }

    /// The host's id for this delivery, to match a log line with the host's delivery log.
    private static func deliveryID(_ headers: HTTPFields) -> String? {
        for name in ["X-GitHub-Delivery", "X-Gitlab-Event-UUID"] {
            if let field = HTTPField.Name(name), let value = headers[field], !value.isEmpty {
                return String(value.prefix(64))
            }
        }
        return nil
    }
}
