import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1

/// The real HTTP stack (AsyncHTTPClient on SwiftNIO).
public struct AsyncHTTPTransport: HTTPTransport {
    public let client: HTTPClient
    public let timeout: TimeAmount
    /// Responses larger than this are refused rather than buffered.
    public let maximumResponseSize: Int

    public init(client: HTTPClient = .shared, timeout: Duration = .seconds(60), maximumResponseSize: Int = 64 << 20) {
        self.client = client
        self.timeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        self.maximumResponseSize = maximumResponseSize
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            let body = try await response.body.collect(upTo: maximumResponseSize)
            return TransportResponse(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: body))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransportError(method: request.method, url: request.url, reason: Self.describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "the server closed the connection before answering"
            default: return "\(error)"
            }
        }
        return "\(error)"
    }
}
