#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncCore
import SpecSyncJSON

/// Adobe IMS server-to-server OAuth (`POST /ims/token/v3`, client credentials). Caches the token,
/// renews it before it expires, and never runs two renewals at once: IMS throttles clients that
/// ask too often, so the number of tokens follows the run's length, not its request count.
public actor IMSTokenProvider<C: Clock>: AccessTokenProvider where C.Duration == Duration {
    public struct Credentials: Sendable {
        public let imsURL: String
        public let clientID: String
        public let clientSecret: Secret
        public let scopes: [String]

        public init(imsURL: String, clientID: String, clientSecret: Secret, scopes: [String]) {
            self.imsURL = imsURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.scopes = scopes
        }
    }

    private let credentials: Credentials
    private let transport: any HTTPTransport
    private let clock: C
    private let retry: RetryPolicy
    private let logger: Logger
    private var cached: (token: AccessToken, lifetime: TokenLifetime<C.Instant>)?
    private var renewal: Task<(AccessToken, TokenLifetime<C.Instant>), any Error>?
    /// Tokens obtained so far, for statistics.
    public private(set) var tokensIssued = 0

    public init(credentials: Credentials, transport: any HTTPTransport, clock: C, retry: RetryPolicy = RetryPolicy(maxAttempts: 4), logger: Logger) {
        self.credentials = credentials
        self.transport = transport
        self.clock = clock
        self.retry = retry
        self.logger = logger
    }

    public func token() async throws -> AccessToken {
        if let cached, cached.lifetime.isFresh(at: clock.now) { return cached.token }
        if let renewal { return try await renewal.value.0 }
        let task = Task { try await self.fetch() }
        renewal = task
        defer { renewal = nil }
        let (token, lifetime) = try await task.value
        cached = (token, lifetime)
        tokensIssued += 1
        return token
    }

    public func invalidate(_ token: AccessToken) {
        if cached?.token == token { cached = nil }
    }

    private func fetch() async throws -> (AccessToken, TokenLifetime<C.Instant>) {
        var random = SystemRandomNumberGenerator()
        let url = credentials.imsURL + "/ims/token/v3"
        let form = [
            ("client_id", credentials.clientID), ("client_secret", credentials.clientSecret.value),
            ("grant_type", "client_credentials"), ("scope", credentials.scopes.joined(separator: ",")),
        ].map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let request = TransportRequest(
            method: "POST", url: url,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(form.utf8))
        var attempt = 0
        while true {
            attempt += 1
            let sentAt = clock.now
            let outcome: RetryPolicy.Outcome
            let failure: RequestError
            do {
                let response = try await transport.send(request)
                if (200..<300).contains(response.status) {
                    return try parse(response, sentAt: sentAt)
                }
                if [400, 401, 403].contains(response.status) {
                    throw AuthenticationError(message: "IMS refused the client credentials (HTTP \(response.status)\(Self.errorSummary(response.body)))",
                                              help: "check clientId and the client secret for this target")
                }
                outcome = .status(response.status, retryAfter: RetryPolicy.parseRetryAfter(response.header("Retry-After")))
                failure = .api(APIError.parse(method: "POST", url: url, response: response))
            } catch let error as TransportError {
                if error.isPermanent { throw RequestError.unreachable(error, attempts: attempt) }
                outcome = .transportFailure
                failure = .unreachable(error, attempts: attempt)
            }
            // A server error or no answer is not a refusal: the request that needed the token
            // fails, and the next one asks IMS again. Only 400/401/403 stop a pass.
            guard case .retry(let delay) = retry.decision(after: outcome, attempt: attempt, using: &random) else {
                if let requested = retry.exceedsRetryAfterCap(outcome), case .api(let error) = failure {
                    throw RequestError.retryAfterTooLong(error, requested: requested, limit: retry.maxRetryAfter)
                }
                throw failure
            }
            logger.warning("IMS token request failed; retrying", metadata: [
                "attempt": "\(attempt)", "delay": "\(delay)", "reason": "\(failure.description)",
            ])
            try await clock.sleep(for: delay)
        }
    }

    /// Longest lifetime believed: a year. A remote's `expires_in: 1e308` must not overflow.
    static var longestLifetime: Double { 366.0 * 86_400 }

    private func parse(_ response: TransportResponse, sentAt: C.Instant) throws -> (AccessToken, TokenLifetime<C.Instant>) {
        guard let object = (try? JSONParser().parse(response.body))?.objectValue,
              let value = object["access_token"]?.stringValue, !value.isEmpty else {
            throw AuthenticationError(message: "IMS answered without an access_token", help: "check imsURL: it must be the IMS host")
        }
        // Registered before it is judged, so an echo of a refused token is hidden too.
        SecretRegistry.shared.register(value)
        guard value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw AuthenticationError(
                message: "IMS answered with an access token that cannot be sent as an HTTP header (it holds a line break, space or control character); it was not used",
                help: "check imsURL: it must be the IMS host")
        }
        // expires_in is in seconds (unlike Flow Service's millisecond timestamps), clamped to 1 s … 1 year.
        var seconds = 86_400.0
        if case .number(let literal)? = object["expires_in"], let value = Double(literal), value.isFinite { seconds = value }
        let lifetime = Duration.milliseconds(Int64(min(max(seconds, 1), Self.longestLifetime) * 1000))
        // Measured from when the request left, so network time never makes a token look fresher than it is.
        return (AccessToken(value: value, lifetime: lifetime), TokenLifetime(issuedAt: sentAt, lifetime: lifetime))
    }

    /// Only the error code and description, known secrets hidden: an IMS that echoes the form
    /// would otherwise print the client secret.
    static func errorSummary(_ body: [UInt8]) -> String {
        guard let object = (try? JSONParser().parse(body))?.objectValue,
              let error = object["error"]?.stringValue else { return "" }
        let description = object["error_description"]?.stringValue.map { ": \($0)" } ?? ""
        return SecretRegistry.shared.redact(", \(error)\(description)")
    }

    static func formEncode(_ text: String) -> String {
        PercentEncoding.encode(text, keeping: "-._*", spaceAsPlus: true)
    }
}

/// The target refused our identity: a fatal error for a pass (exit 1), never retried blindly.
public struct AuthenticationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let help: String

    public init(message: String, help: String) {
        self.message = message
        self.help = help
    }

    public var description: String { SecretRegistry.shared.redact("authentication failed: \(message); \(help)") }
}
