import Hummingbird
import NIOCore

extension Response {
    /// A small JSON document with an explicit length; every answer of the status server is one
    /// of these or the metrics text.
    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
        bytesResponse(status, contentType: "application/json; charset=utf-8", bytes)
    }

    /// `{"<key>":"<value>"}` for the fixed status and error answers; the value is escaped, since a
    /// rejection reason is built from constant text but should never be able to break the JSON.
    static func json(_ status: HTTPResponse.Status, _ key: String, _ value: String) -> Response {
        json(status, Array("{\"\(key)\":\"\(jsonEscaped(value))\"}".utf8))
    }

    static func bytesResponse(_ status: HTTPResponse.Status, contentType: String, _ bytes: [UInt8]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(bytes.count)
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func jsonEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
