import SpecSyncCore

/// An IMS bearer token. Prints as "(sensitive)"; its value is registered with `SecretRegistry`.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    /// Lifetime the server granted (`expires_in`).
    public let lifetime: Duration

    public init(value: String, lifetime: Duration) {
        self.value = value
        SecretRegistry.shared.register(value)
        self.lifetime = lifetime
    }

    public var description: String { "(sensitive)" }
    public var debugDescription: String { "(sensitive)" }
}

/// Where bearer tokens come from: IMS for real, anything for tests.
public protocol AccessTokenProvider: Sendable {
    /// A token that is valid now, fetched only when the cached one is near its end.
    func token() async throws -> AccessToken
    /// The server refused `token`: forget it so the next call fetches a new one.
    func invalidate(_ token: AccessToken) async
}
