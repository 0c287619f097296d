#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SpecSyncCore
import SpecSyncTargets

/// Sends a pass's notification to every receiver that wants one of its events, all at once, each
/// bounded by its own timeout (every retry included): a dead receiver costs its timeout and no more,
/// and no outcome of a send changes what the pass did or how it exits.
public struct Notifier: Sendable {
    public let receivers: [NotificationReceiver]
    let logger: Logger
    /// Called once per notification and receiver with how it went: the daemon counts it in `/metrics`.
    let observe: @Sendable (_ receiver: String, _ outcome: NotificationDelivery) -> Void

    /// The receivers of `settings` whose URL and key can be read; the others are logged and left out.
    public init(settings: [NotificationReceiverSettings], environment: [String: String], logger: Logger,
                observe: @escaping @Sendable (String, NotificationDelivery) -> Void = { _, _ in }) {
        let resolver = SecretResolver(environment: environment)
        receivers = settings.compactMap { settings in
            do {
                return try NotificationReceiver(settings, resolver: resolver)
            } catch {
                logger.warning("notification receiver left out: its secret cannot be read", metadata: [
                    "receiver": "\(settings.name)", "error": "\(SecretRegistry.shared.redact("\(error)"))",
                ])
                return nil
            }
        }
        self.logger = logger
        self.observe = observe
    }

    public var isEmpty: Bool { receivers.isEmpty }

    /// Sends `notification` to the receivers that want any of its events; returns when every send
    /// has finished or run out of time.
    public func send(_ notification: PassNotification) async {
        let wanted = receivers.map { ($0, notification.filtered(to: $0.settings.events)) }.filter { !$0.1.items.isEmpty }
        guard !wanted.isEmpty else { return }
        var configuration = HTTPClient.Configuration()
        // A redirect would carry the signature to another host: a receiver answers where it was asked.
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        await withTaskGroup(of: Void.self) { group in
            for (receiver, filtered) in wanted {
                group.addTask {
                    let outcome = await self.deliver(filtered, to: receiver, client: client)
                    self.observe(receiver.name, outcome)
                }
            }
        }
        try? await client.shutdown()
    }

    func deliver(_ notification: PassNotification, to receiver: NotificationReceiver, client: HTTPClient) async -> NotificationDelivery {
        let body = receiver.body(for: notification)
        let settings = receiver.settings
        let deadline = ContinuousClock.now + settings.timeout
        let attempts = settings.retries + 1
        // Each attempt gets its share of the timeout, so that a receiver that never answers still
        // sees every retry before the timeout runs out.
        let share = settings.timeout / attempts
        var metadata: Logger.Metadata = ["receiver": "\(receiver.name)", "events": "\(notification.events.sorted().map(\.rawValue))"]
        for attempt in 1...attempts {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .milliseconds(1) else { break }
            metadata["attempt"] = "\(attempt)"
            var request = HTTPClientRequest(url: receiver.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "specsync")
            request.headers.add(name: "X-Specsync-Event", value: notification.events.sorted().map(\.rawValue).joined(separator: ","))
            if let key = receiver.signingKey {
                request.headers.add(name: NotificationSignature.header, value: NotificationSignature.value(body: body, secret: key.value))
            }
            request.body = .bytes(ByteBuffer(bytes: body))
            do {
                let response = try await client.execute(request, timeout: Self.timeAmount(min(share, remaining)))
                // The answer's body is never read into a log: it may echo what was sent or a token.
                _ = try? await response.body.collect(upTo: 64 * 1024)
                let code = Int(response.status.code)
                if (200..<300).contains(code) {
                    logger.debug("notification sent", metadata: metadata)
                    return .sent
                }
                metadata["status"] = "\(code)"
                if code != 408 && code != 429 && code < 500 {
                    logger.warning("notification rejected by its receiver", metadata: metadata)
                    return .rejected
                }
            } catch {
                metadata["error"] = "\(SecretRegistry.shared.redact(Self.describe(error)))"
            }
            logger.info("notification attempt failed", metadata: metadata)
            if attempt < attempts {
                let pause = min(Duration.milliseconds(200) * (1 << min(attempt - 1, 5)), deadline - ContinuousClock.now)
                if pause > .zero { try? await Task.sleep(for: pause) }
            }
        }
        logger.warning("notification not delivered: every attempt failed within its timeout", metadata: metadata)
        return .failed
    }

    /// Words for a transport failure, never the URL (a Slack URL is a credential).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "no answer in time"
            case .remoteConnectionClosed: return "the receiver closed the connection"
            default: return "\(error)"
            }
        }
        return "cannot connect or send (\(type(of: error)))"
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(min(seconds, Int64.max / 1_000_000_000 - 1) * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
