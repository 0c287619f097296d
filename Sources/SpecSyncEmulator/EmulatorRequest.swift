import HTTPTypes
import Hummingbird
import NIOCore
import SpecSyncCore

/// One request with its body read and its path split: what every route needs, nothing from the
/// transport. Values only, so routes are easy to call from tests of their own.
struct EmulatorRequest: Sendable {
    var method: HTTPRequest.Method
    /// Percent-decoded path segments, empty ones dropped ("/a//b/" → ["a", "b"]).
    var segments: [String]
    /// Decoded query items in order; a key may repeat.
    var query: [(name: String, value: String)]
    var headers: HTTPFields
    var body: [UInt8]
    /// Echoed from the client's `x-request-id` when it sent one, otherwise generated.
    var requestID: String
    /// The `Host` the client named (HTTP/1's Host header), for links back to this server.
    var authority: String?
    /// The route's path parameters ("id", "connector"), percent-decoded.
    var parameters: [String: String] = [:]

    /// The request as a route sees it, once `BodyLimitMiddleware` has collected the body.
    init(_ request: Request, context: EmulatorRequestContext) async throws {
        var buffer = try await request.body.collect(upTo: .max)
        method = request.method
        segments = request.uri.path.split(separator: "/").map { PercentDecoding.decode($0, plusAsSpace: false) }
        query = request.uri.query.map(PercentDecoding.pairs) ?? []
        headers = request.headers
        authority = request.head.authority
        body = buffer.readBytes(length: buffer.readableBytes) ?? []
        requestID = context.requestID
        for (name, value) in context.parameters where name != Parameters.recursiveCaptureKey {
            parameters[String(name)] = PercentDecoding.decode(value, plusAsSpace: false)
        }
    }

    init(
        method: HTTPRequest.Method, segments: [String], query: [(name: String, value: String)], headers: HTTPFields,
        body: [UInt8], requestID: String
    ) {
        self.method = method
        self.segments = segments
        self.query = query
        self.headers = headers
        self.body = body
        self.requestID = requestID
    }

    func header(_ name: String) -> String? {
        guard let field = HTTPField.Name(name) else { return nil }
        return headers[field]
    }

    func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }

    /// Whether the `Content-Type` media type is `mediaType`, ignoring parameters and case.
    func hasContentType(_ mediaType: String) -> Bool {
        guard let value = headers[.contentType] else { return false }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        return type.trimmingWhitespace().lowercased() == mediaType
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
