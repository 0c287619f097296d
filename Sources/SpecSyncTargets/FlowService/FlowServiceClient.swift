import Foundation
import Logging
import SpecSyncCore

/// Adobe Flow Service connection and flow specs over HTTP: every required header, IMS tokens
/// (renewed once on a 401), retries with backoff, 429 Retry-After, optional pacing.
public struct FlowServiceClient: Sendable {
    public let endpoint: FlowServiceEndpoint
    let transport: any HTTPTransport
    let tokens: any AccessTokenProvider
    let retry: RetryPolicy
    let pacer: (any RequestPacing)?
    let sleep: @Sendable (Duration) async throws -> Void
    let observe: @Sendable (RequestEvent) -> Void
    let logger: Logger

    public init(
        endpoint: FlowServiceEndpoint, transport: any HTTPTransport, tokens: any AccessTokenProvider,
        retry: RetryPolicy = RetryPolicy(), pacer: (any RequestPacing)? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        observe: @escaping @Sendable (RequestEvent) -> Void = { _ in }, logger: Logger
    ) {
        self.endpoint = endpoint
        self.transport = transport
        self.tokens = tokens
        self.retry = retry
        self.pacer = pacer
        self.sleep = sleep
        self.observe = observe
        self.logger = logger
    }

    /// Sends one request to Flow Service and returns a 2xx response, or throws FlowServiceError.
    /// `idempotent: false` (POST) never repeats a request whose outcome is unknown.
    func send(_ method: String, _ path: String, query: String? = nil, body: [UInt8]? = nil, idempotent: Bool) async throws -> TransportResponse {
        let url = endpoint.baseURL + path + (query.map { "?" + $0 } ?? "")
        var random = SystemRandomNumberGenerator()
        var attempt = 0
        var renewedToken = false
        while true {
            attempt += 1
            try await pacer?.acquire()
            let token = try await tokens.token()
            var headers: [(name: String, value: String)] = [
                ("Authorization", "Bearer \(token.value)"), ("x-api-key", endpoint.clientID),
                ("x-gw-ims-org-id", endpoint.orgID), ("x-sandbox-name", endpoint.sandbox), ("Accept", "application/json"),
            ]
            if body != nil { headers.append(("Content-Type", "application/json")) }
            let request = TransportRequest(method: method, url: url, headers: headers, body: body)

            var outcome = RetryPolicy.Outcome.transportFailure
            var failure: FlowServiceError
            do {
                let response = try await transport.send(request)
                observe(.response(method: method, status: response.status))
                if (200..<300).contains(response.status) { return response }
                if response.status == 401 && !renewedToken {
                    // The token expired or was revoked early: renew once and try once more.
                    renewedToken = true
                    await tokens.invalidate(token)
                    attempt -= 1
                    continue
                }
                let error = APIError.parse(method: method, url: url, response: response)
                failure = .api(error)
                outcome = .status(response.status, retryAfter: RetryPolicy.parseRetryAfter(response.header("Retry-After")))
                if !idempotent && [502, 503, 504].contains(response.status) {
                    throw FlowServiceError.outcomeUnknown(method: method, url: url, reason: "HTTP \(response.status)")
                }
            } catch let error as TransportError {
                observe(.transportFailure(method: method))
                if !idempotent { throw FlowServiceError.outcomeUnknown(method: method, url: url, reason: error.reason) }
                failure = .unreachable(error, attempts: attempt)
                outcome = .transportFailure
            }
            guard case .retry(let delay) = retry.decision(after: outcome, attempt: attempt, using: &random) else {
                throw failure
            }
            observe(.retry(method: method, delay: delay))
            logger.info("retrying Flow Service request", metadata: [
                "method": "\(method)", "path": "\(path)", "attempt": "\(attempt)", "delay": "\(delay)", "reason": "\(failure)",
            ])
            try await sleep(delay)
        }
    }
}

extension FlowServiceClient {
    /// `POST /connectionSpecs`. Not idempotent: a lost answer throws `.outcomeUnknown`.
    public func createConnectionSpec(_ body: [UInt8]) async throws -> RemoteSpec {
        let response = try await send("POST", "/connectionSpecs", body: body, idempotent: false)
        return try single(response, "POST", "/connectionSpecs")
    }

    /// `PUT /connectionSpecs/{id}`: the body replaces the spec entirely.
    public func replaceConnectionSpec(id: String, body: [UInt8]) async throws -> RemoteSpec {
        let path = "/connectionSpecs/\(Self.escape(id))"
        return try single(try await send("PUT", path, body: body, idempotent: true), "PUT", path)
    }

    /// `GET /connectionSpecs/{id}`; nil when it does not exist.
    public func connectionSpec(id: String) async throws -> RemoteSpec? {
        let path = "/connectionSpecs/\(Self.escape(id))"
        do {
            return try single(try await send("GET", path, idempotent: true), "GET", path)
        } catch let error as FlowServiceError where error.status == 404 {
            return nil
        }
    }

    /// `GET /connectionSpecs?property=name=="NAME"`: every spec with exactly that name.
    public func connectionSpecs(named name: String) async throws -> [RemoteSpec] {
        let escapedName = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let query = "property=" + Self.escapeQuery("name==\"\(escapedName)\"")
        let response = try await send("GET", "/connectionSpecs", query: query, idempotent: true)
        do {
            // The filter is the server's; checking the name again costs nothing and guards against a lax one.
            return try RemoteSpec.list(from: response.body).filter { $0.name == name }
        } catch {
            throw FlowServiceError.invalidResponse(method: "GET", url: endpoint.baseURL + "/connectionSpecs", reason: error.description)
        }
    }

    func single(_ response: TransportResponse, _ method: String, _ path: String) throws -> RemoteSpec {
        do {
            guard let spec = try RemoteSpec.list(from: response.body).first else {
                throw RemoteSpecError(reason: "no spec in the answer")
            }
            return spec
        } catch {
            throw FlowServiceError.invalidResponse(method: method, url: endpoint.baseURL + path, reason: "\(error)")
        }
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }

    static func escapeQuery(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~=")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
