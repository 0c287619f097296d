import HTTPTypes
import Hummingbird

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
