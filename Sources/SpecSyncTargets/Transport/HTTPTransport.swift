#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One HTTP exchange, as plain values: the I/O seam every target adapter talks through.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.value(for: name) }
}

public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.value(for: name) }
}

extension Array where Element == (name: String, value: String) {
    /// The first value of a header, whose names are case-insensitive.
    func value(for name: String) -> String? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }?.value
    }
}

/// Sends requests. Implementations: AsyncHTTPClient for real, a read-only guard for `plan`.
public protocol HTTPTransport: Sendable {
    func send(_ request: TransportRequest) async throws -> TransportResponse
}

/// The request never got a complete answer: refused, reset, timed out, or cut off; or it could
/// not be sent at all.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public let method: String
    public let url: String
    public let reason: String
    /// Trying again cannot change it (an invalid header value or URL, an answer over the size
    /// limit): never retried.
    public let isPermanent: Bool

    public init(method: String, url: String, reason: String, isPermanent: Bool = false) {
        self.method = method
        self.url = url
        self.reason = reason
        self.isPermanent = isPermanent
    }

    public var description: String { "\(method) \(url): \(reason)" }
}
