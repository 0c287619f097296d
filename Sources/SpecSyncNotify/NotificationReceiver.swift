import SpecSyncCore
import SpecSyncTargets

/// A receiver with its URL and signing key read from where the configuration says. Both are
/// `Secret`s when they come from a secret source, so they are hidden in any text that quotes them.
public struct NotificationReceiver: Sendable {
    public let settings: NotificationReceiverSettings
    let url: String
    let signingKey: Secret?

    public var name: String { settings.name }

    /// Reads the URL and the key; a receiver whose secret cannot be read is reported, not sent to.
    public init(_ settings: NotificationReceiverSettings, resolver: SecretResolver) throws {
        self.settings = settings
        switch settings.address {
        case .url(let url): self.url = url
        case .secret(let reference): self.url = try resolver.resolve(reference).value.trimmingWhitespaceAndNewlines()
        }
        signingKey = try settings.secret.map { try resolver.resolve($0) }
    }

    func body(for notification: PassNotification) -> [UInt8] {
        switch settings.kind {
        case .webhook: NotificationPayload.webhook(notification)
        case .slack: NotificationPayload.slack(notification)
        }
    }
}
