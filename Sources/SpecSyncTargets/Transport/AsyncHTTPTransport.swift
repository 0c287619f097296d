import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SpecSyncCore
import Synchronization

/// The real HTTP stack (AsyncHTTPClient on SwiftNIO), bounded in time: a connection is opened
/// within `connectTimeout` (a refused port fails at once, never retried inside the client), and one
/// attempt of a request, answer body included, ends within `timeout`.
public struct AsyncHTTPTransport: HTTPTransport {
    public let client: HTTPClient
    public let timeout: Duration
    public let connectTimeout: Duration
    /// Responses larger than this are refused rather than buffered.
    public let maximumResponseSize: Int

    public init(
        timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(5), maximumResponseSize: Int = 64 << 20
    ) {
        self.client = Self.client(connectTimeout: connectTimeout)
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maximumResponseSize = maximumResponseSize
    }

    /// `caFile`: PEM CA certificates trusted in addition to the system's (a private CA, a corporate
    /// proxy's), as corporate-proxy users expect; read and checked here, so a bad file fails at start.
    public init(
        timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(5), maximumResponseSize: Int = 64 << 20,
        caFile: String?
    ) throws(CAFileError) {
        var certificates: [NIOSSLCertificate] = []
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw CAFileError(path: caFile, reason: "is not a readable file")
            }
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw CAFileError(path: caFile, reason: "is not a PEM file of CA certificates")
            }
            guard !certificates.isEmpty else { throw CAFileError(path: caFile, reason: "holds no PEM certificate") }
        }
        self.client = Self.client(connectTimeout: connectTimeout, certificates: certificates)
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maximumResponseSize = maximumResponseSize
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        // A value with a line break would split the request (header injection); AsyncHTTPClient
        // refuses it too, but quoting the value in its error would print a credential.
        if let header = request.headers.first(where: { !Self.isHeaderValue($0.value) }) {
            throw TransportError(method: request.method, url: request.url,
                                 reason: "the \(header.name) header holds a line break or control character, so it cannot be sent",
                                 isPermanent: true)
        }
        let task: HTTPClient.Task<TransportResponse>
        do {
            var headers = HTTPHeaders()
            headers.reserveCapacity(request.headers.count)
            for header in request.headers { headers.add(name: header.name, value: header.value) }
            let prepared = try HTTPClient.Request(
                url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers, body: request.body.map { .bytes($0) })
            // The deadline covers the whole exchange, the answer's body included, and the collector
            // takes the answer on the event loop: no task group racing a sleep, no body sequence.
            task = client.execute(
                request: prepared, delegate: ResponseCollector(limit: maximumResponseSize), eventLoop: .indifferent,
                deadline: .now() + Self.timeAmount(timeout))
        } catch {
            let (reason, permanent) = describe(error)
            throw TransportError(method: request.method, url: request.url, reason: reason, isPermanent: permanent)
        }
        do {
            return try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let (reason, permanent) = describe(error)
            throw TransportError(method: request.method, url: request.url, reason: reason, isPermanent: permanent)
        }
    }

    /// What went wrong, in words, and whether trying again could change it.
    func describe(_ error: Error) -> (String, permanent: Bool) {
        if error is ResponseCollector.TooLarge {
            return ("the answer is larger than the \(maximumResponseSize >> 20) MiB this client accepts", true)
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return ("could not connect within \(connectTimeout)", false)
            case .deadlineExceeded, .readTimeout: return ("no complete answer within \(timeout)", false)
            case .remoteConnectionClosed: return ("the server closed the connection before answering", false)
            case .emptyScheme, .invalidURL, .emptyHost: return ("not a valid http(s) URL", true)
            case .bodyLengthMismatch, .contentLengthMissing: return ("the server's answer was cut off", false)
            default: break
            }
            // Codes with values are told apart by name only: their description quotes the values.
            let code = error.description
            if code.hasPrefix("HTTPClientError.unsupportedScheme") { return ("not an http(s) URL", true) }
            if code.hasPrefix("HTTPClientError.invalidHeaderField") {
                return ("a header holds a line break or control character, so it cannot be sent", true)
            }
            return ("the HTTP exchange failed", false)
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return ("the host name \(error.host) could not be resolved", false)
            }
            if let first = error.connectionErrors.first { return describe(first.error) }
            return ("could not connect to \(error.host):\(error.port)", false)
        }
        if let error = error as? IOError {
            return (Self.text(ofErrno: error.errnoCode), false)
        }
        // Said in words, since trying again cannot help and the fix is the client's configuration.
        if let error = error as? NIOSSLError, case .handshakeFailed = error, "\(error)".contains("CERTIFICATE_VERIFY_FAILED") {
            return ("the server's TLS certificate is not signed by a trusted CA (for a private CA, set http.caFile to its certificate)", true)
        }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return ("the server's TLS certificate is not valid for this host name", true)
        }
        if error is NIOSSLError || error is NIOSSLExtraError {
            return ("the TLS handshake failed", false)
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return ("could not connect within \(connectTimeout)", false)
        }
        return ("the connection failed", false)
    }

    static func text(ofErrno code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused (nothing listens on that port)"
        case ECONNRESET: "the connection was reset by the server"
        case EHOSTUNREACH, ENETUNREACH: "the host cannot be reached"
        case ETIMEDOUT: "the connection timed out"
        case EPIPE: "the server closed the connection while the request was sent"
        default: SystemErrorText.text(ofErrno: code).lowercased()
        }
    }

    /// RFC 9110 field-value: visible ASCII, space and tab, no CR, LF or other control characters.
    static func isHeaderValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 == 0x09 || (0x20...0x7E).contains($0) || $0 >= 0x80 }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(min(seconds, Int64.max / 1_000_000_000 - 1) * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// One client per connect timeout and CA file for the life of the process, like `HTTPClient.shared`:
    /// connections are pooled across passes and reloads, and nothing is left to shut down.
    /// `certificates`: the CA file's, read by the caller; the key holds them rather than the path, so
    /// a CA file replaced before a reload gets a client that trusts the new one.
    static func client(connectTimeout: Duration, certificates: [NIOSSLCertificate] = []) -> HTTPClient {
        clients.withLock { clients in
            let key = ClientKey(connectTimeout: connectTimeout, certificates: certificates)
            if let client = clients[key] { return client }
            var configuration = HTTPClient.Configuration.singletonConfiguration
            configuration.timeout.connect = timeAmount(connectTimeout)
            if !certificates.isEmpty {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.additionalTrustRoots = [.certificates(certificates)]
                configuration.tlsConfiguration = tls
            }
            // AsyncHTTPClient would otherwise retry a refused connection until the request's
            // deadline; our retry policy decides, with backoff and a log line per attempt.
            configuration.connectionPool.retryConnectionEstablishment = false
            // HTTP/1.1 carries one request per connection: the pool's default of 8 a host would cap
            // any concurrency (the adaptive limiter's 64 included) at 8.
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = Self.connectionsPerHost
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    private struct ClientKey: Hashable {
        let connectTimeout: Duration
        let certificates: [NIOSSLCertificate]
    }

    private static let clients = Mutex<[ClientKey: HTTPClient]>([:])

    /// As many as any target may have in flight (`ConcurrencySetting.maximum`).
    static let connectionsPerHost = ConcurrencySetting.maximum
}
