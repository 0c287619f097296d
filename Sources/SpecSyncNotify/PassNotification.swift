import SpecSyncCore

/// What a pass has to tell the receivers: one item per event and bundle. Reasons are redacted by
/// `SecretRegistry`, and no spec body is ever part of it.
public struct PassNotification: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public let event: NotificationEvent
        public let bundle: String?
        public let name: String?
        public let reason: String?

        public init(event: NotificationEvent, bundle: String?, name: String?, reason: String?) {
            self.event = event
            self.bundle = bundle
            self.name = name
            self.reason = reason.map(SecretRegistry.shared.redact)
        }
    }

    public let target: String
    public let commit: String?
    public let items: [Item]

    public init(target: String, commit: String?, items: [Item]) {
        self.target = target
        self.commit = commit
        self.items = items
    }

    public var events: Set<NotificationEvent> { Set(items.map(\.event)) }

    /// Only the items of `events`: what one receiver asked for.
    public func filtered(to events: Set<NotificationEvent>) -> PassNotification {
        PassNotification(target: target, commit: commit, items: items.filter { events.contains($0.event) })
    }
}
