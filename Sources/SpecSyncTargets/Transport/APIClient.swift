#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncCore
import SpecSyncJSON

/// One API over HTTP, whichever it is: authentication, retries with backoff, 429 Retry-After, pacing,
/// error parsing and observation, the same for every target. The target clients say what to send.
public struct APIClient: Sendable {
    /// "Flow Service", "Flxpoint", "Versori": for logs.
    public let service: String
    public let baseURL: String
    let transport: any HTTPTransport
    let authorizer: any RequestAuthorizing
    let retry: RetryPolicy
    let pacer: (any RequestPacing)?
    let sleep: @Sendable (Duration) async throws -> Void
    let observe: @Sendable (RequestEvent) -> Void
    /// What a status means when the API answers it with an empty body.
    let emptyBodyMessage: @Sendable (Int) -> String?
    let logger: Logger

    public init(
        service: String, baseURL: String, transport: any HTTPTransport, authorizer: any RequestAuthorizing,
        retry: RetryPolicy = RetryPolicy(), pacer: (any RequestPacing)? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        observe: @escaping @Sendable (RequestEvent) -> Void = { _ in },
        emptyBodyMessage: @escaping @Sendable (Int) -> String? = { _ in nil }, logger: Logger
    ) {
        self.service = service
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.transport = transport
        self.authorizer = authorizer
        self.retry = retry
        self.pacer = pacer
        self.sleep = sleep
        self.observe = observe
        self.emptyBodyMessage = emptyBodyMessage
        self.logger = logger
    }

    /// Sends one request and returns a 2xx response, or throws `RequestError`.
    /// `idempotent: false` (POST) never repeats a request whose outcome is unknown.
    public func send(_ method: String, _ path: String, query: String? = nil, body: [UInt8]? = nil, idempotent: Bool) async throws -> TransportResponse {
        let url = baseURL + path + (query.map { "?" + $0 } ?? "")
        var random = SystemRandomNumberGenerator()
        var attempt = 0
        var renewed = false
        while true {
            attempt += 1
            let authorization = try await authorizer.authorize()
            var headers = authorization.headers + [("Accept", "application/json")]
            if body != nil { headers.append(("Content-Type", "application/json")) }
            let request = TransportRequest(method: method, url: url, headers: headers, body: body)

            var outcome = RetryPolicy.Outcome.transportFailure
            var failure: RequestError
            do {
                let ticket = try await pacer?.acquire()
                let response: TransportResponse
                do {
                    response = try await transport.send(request)
                    if let ticket { await pacer?.finished(ticket, outcome: .answered(response.status)) }
                } catch {
                    if let ticket { await pacer?.finished(ticket, outcome: .failed) }
                    throw error
                }
                observe(.response(method: method, status: response.status))
                if (200..<300).contains(response.status) { return response }
                if response.status == 401 && !renewed, await authorizer.refused(authorization) {
                    // The credential expired or was revoked early: renewed once, tried once more.
                    renewed = true
                    attempt -= 1
                    continue
                }
                failure = .api(APIError.parse(method: method, url: url, response: response, emptyBodyMessage: emptyBodyMessage))
                outcome = .status(response.status, retryAfter: RetryPolicy.parseRetryAfter(response.header("Retry-After")))
                if !idempotent && [502, 503, 504].contains(response.status) {
                    throw RequestError.outcomeUnknown(method: method, url: url, reason: "HTTP \(response.status)")
                }
                // Any other server error to a POST is its answer: repeating a create is not safe.
                if !idempotent && response.status >= 500 { throw failure }
            } catch let error as TransportError {
                observe(.transportFailure(method: method))
                // An invalid header value or URL, an answer over the limit: the same on every attempt.
                if error.isPermanent { throw RequestError.unreachable(error, attempts: attempt) }
                if !idempotent { throw RequestError.outcomeUnknown(method: method, url: url, reason: error.reason) }
                failure = .unreachable(error, attempts: attempt)
                outcome = .transportFailure
            }
            guard case .retry(let delay) = retry.decision(after: outcome, attempt: attempt, using: &random) else {
                if let requested = retry.exceedsRetryAfterCap(outcome), case .api(let error) = failure {
                    throw RequestError.retryAfterTooLong(error, requested: requested, limit: retry.maxRetryAfter)
                }
                throw failure
            }
            observe(.retry(method: method, delay: delay))
            logger.info("retrying \(service) request", metadata: [
                "method": "\(method)", "path": "\(path)", "attempt": "\(attempt)", "delay": "\(delay)", "reason": "\(failure.description)",
            ])
            try await sleep(delay)
        }
    }

    /// A JSON answer, parsed; an unparsable one is reported as such.
    public func json(_ response: TransportResponse, _ method: String, _ path: String) throws -> JSONValue {
        do {
            return try JSONParser().parse(response.body)
        } catch {
            throw RequestError.invalidResponse(method: method, url: baseURL + path, reason: "the body is not JSON (\(error))")
        }
    }

    /// One resource from a JSON answer, read by `parse`; an answer it cannot read is reported as such.
    public func decode(
        _ response: TransportResponse, _ method: String, _ path: String, _ parse: (JSONValue) throws(RemoteSpecError) -> RemoteSpec
    ) throws -> RemoteSpec {
        let document = try json(response, method, path)
        do {
            return try parse(document)
        } catch {
            throw RequestError.invalidResponse(method: method, url: baseURL + path, reason: error.reason)
        }
    }

    static func escape(_ segment: String) -> String {
        PercentEncoding.encode(segment, keeping: "!$&'()*+,-.:;=@_~")
    }

    static func escapeQuery(_ value: String) -> String {
        PercentEncoding.encode(value, keeping: "-._~=")
    }
}
