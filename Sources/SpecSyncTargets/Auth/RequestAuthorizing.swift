import SpecSyncCore

/// How an API client proves who it is: the headers of one attempt, and what to do when the server
/// refuses them. The seam between the shared request loop and each API's credentials.
public protocol RequestAuthorizing: Sendable {
    func authorize() async throws -> Authorization
    /// The server answered 401 to `authorization`: true when a renewed credential is worth one more try.
    func refused(_ authorization: Authorization) async -> Bool
}

/// The credential headers of one attempt, and the token they carry when it can be renewed.
public struct Authorization: Sendable {
    public var headers: [(name: String, value: String)]
    public var token: AccessToken?

    public init(headers: [(name: String, value: String)], token: AccessToken? = nil) {
        self.headers = headers
        self.token = token
    }
}

/// A fixed key in one header (Flxpoint's `X-API-TOKEN`, Versori's `Authorization: Bearer`): nothing
/// to renew, so a 401 is final.
public struct StaticKeyAuthorizer: RequestAuthorizing {
    let header: String
    let prefix: String
    let key: Secret

    public init(header: String, prefix: String = "", key: Secret) {
        self.header = header
        self.prefix = prefix
        self.key = key
    }

    public func authorize() async throws -> Authorization {
        Authorization(headers: [(header, prefix + key.value)])
    }

    public func refused(_ authorization: Authorization) async -> Bool { false }
}
