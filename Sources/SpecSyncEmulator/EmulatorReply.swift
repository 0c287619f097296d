#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif
import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// A response before the transport sees it: status, headers and the exact bytes. Routes produce
/// these so the responder can count, stamp the request id on, or drop any of them in one place.
struct EmulatorReply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields = [:]
    var body: [UInt8] = []

    /// JSON in the member order the value has, so stored specs come back as they were written.
    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> EmulatorReply {
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=utf-8"
        return EmulatorReply(status: status, headers: headers, body: Array(value.compactText.utf8))
    }

    /// JSON from a `Codable` value (statistics, fault plans).
    static func encoded(_ status: HTTPResponse.Status, _ value: some Encodable) -> EmulatorReply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=utf-8"
        let bytes = (try? encoder.encode(value)).map(Array.init) ?? Array("{}".utf8)
        return EmulatorReply(status: status, headers: headers, body: bytes)
    }

    static func empty(_ status: HTTPResponse.Status) -> EmulatorReply {
        EmulatorReply(status: status)
    }

    var response: Response {
        var headers = headers
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
