/// When a cached token must be renewed: ahead of its expiry by a tenth of its lifetime, at most
/// five minutes, so a 24 h token renews 5 min early and a 2 s test token 0.2 s early.
public struct TokenLifetime<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public static var maximumMargin: Duration { .seconds(300) }

    public let issuedAt: Instant
    public let lifetime: Duration

    public init(issuedAt: Instant, lifetime: Duration) {
        self.issuedAt = issuedAt
        self.lifetime = lifetime
    }

    public var renewAt: Instant {
        issuedAt.advanced(by: lifetime - min(lifetime / 10, Self.maximumMargin))
    }

    public var expiresAt: Instant { issuedAt.advanced(by: lifetime) }

    public func isFresh(at now: Instant) -> Bool { now < renewAt }
}
