/// Lets GET through and refuses everything else: what makes `specsync plan` provably read-only.
public struct ReadOnlyTransport: HTTPTransport {
    public let base: any HTTPTransport

    public init(_ base: any HTTPTransport) { self.base = base }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            throw ReadOnlyViolation(method: request.method, url: request.url)
        }
        return try await base.send(request)
    }
}

public struct ReadOnlyViolation: Error, Sendable, CustomStringConvertible {
    public let method: String
    public let url: String

    public var description: String { "refused \(method) \(url): this command is read-only" }
}
