/// One receiver under `notifications:`: where to send, how to sign, which events it wants.
public struct NotificationReceiverSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// JSON, signed with HMAC-SHA256 over the body in `X-Specsync-Signature` when `secret` is set.
        case webhook
        /// A Slack-compatible incoming webhook: `{"text": …}`.
        case slack
    }

    /// Where the URL comes from: written in the file, or a secret (a Slack webhook URL is a credential).
    public enum Address: Sendable, Equatable {
        case url(String)
        case secret(SecretReference)
    }

    /// The key under `notifications:`: the `receiver` label in metrics and logs (never the URL).
    public var name: String
    public var kind: Kind
    public var address: Address
    /// The HMAC-SHA256 key for a webhook's signature.
    public var secret: SecretReference?
    public var events: Set<NotificationEvent> = Set(NotificationEvent.allCases)
    /// The most one notification may take, every retry included: a dead receiver costs this, no more.
    public var timeout: Duration = .seconds(10)
    /// Further attempts after a failed one (a transport error, a timeout, 408, 429 or 5xx).
    public var retries = 2

    public init(name: String, kind: Kind, address: Address) {
        self.name = name
        self.kind = kind
        self.address = address
    }
}
