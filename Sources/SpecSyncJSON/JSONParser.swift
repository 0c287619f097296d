/// A strict RFC 8259 parser over UTF-8 bytes that keeps member order and number spellings.
///
/// Strict means: no comments, no trailing commas, no BOM, no duplicate keys, no lone surrogates, no
/// invalid UTF-8 anywhere, no control characters in strings. Nesting is capped so that a hostile
/// file cannot exhaust the stack.
public struct JSONParser: Sendable {
    public static let defaultMaximumDepth = 512

    public let maximumDepth: Int

    public init(maximumDepth: Int = JSONParser.defaultMaximumDepth) {
        self.maximumDepth = maximumDepth
    }

    public func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        let array = Array(bytes)
        do {
            return try array.withUnsafeBufferPointer { buffer in
                var reader = Reader(bytes: buffer, maximumDepth: maximumDepth)
                return try reader.parseDocument()
            }
        } catch let failure as Failure {
            let position = TextPosition(offset: failure.offset, in: array)
            throw JSONSyntaxError(message: failure.message, offset: failure.offset, line: position.line, column: position.column)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    public func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

private struct Failure: Error {
    let message: String
    let offset: Int
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func parseDocument() throws -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw Failure(message: "the file starts with a byte order mark; save it as UTF-8 without BOM", offset: 0)
        }
        skipWhitespace()
        guard index < bytes.count else {
            throw Failure(message: "the file is empty; expected a JSON object", offset: index)
        }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw Failure(
                message: "unexpected \(describe(at: index)) after the end of the JSON document", offset: index)
        }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let byte = bytes[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    mutating func parseValue() throws -> JSONValue {
        guard index < bytes.count else {
            throw Failure(message: "unexpected end of file; expected a value", offset: index)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try nested { try $0.parseObject() }
        case UInt8(ascii: "["): return try nested { try $0.parseArray() }
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default:
            throw Failure(message: "unexpected \(describe(at: index)); expected a value", offset: index)
        }
    }

    mutating func nested(_ body: (inout Reader) throws -> JSONValue) throws -> JSONValue {
        guard depth < maximumDepth else {
            throw Failure(
                message: "nesting deeper than \(maximumDepth) levels; flatten the document", offset: index)
        }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    mutating func expectLiteral(_ literal: StaticString) throws {
        let start = index
        for byte in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            guard index < bytes.count, bytes[index] == byte else {
                throw Failure(message: "invalid literal; expected '\(literal)'", offset: start)
            }
            index += 1
        }
    }

    mutating func parseObject() throws -> JSONValue {
        index += 1  // {
        var object = JSONObject()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                let found = describe(at: index)
                throw Failure(message: "expected a member name in double quotes, found \(found)", offset: index)
            }
            let keyOffset = index
            let key = try parseString()
            if object.contains(key) {
                throw Failure(message: "duplicate key \"\(key)\" in the same object", offset: keyOffset)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw Failure(message: "expected ':' after member name \"\(key)\", found \(describe(at: index))", offset: index)
            }
            index += 1
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else {
                throw Failure(message: "unexpected end of file; expected ',' or '}' to close an object", offset: index)
            }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    throw Failure(message: "trailing comma before '}'; remove the comma", offset: index)
                }
            case UInt8(ascii: "}"):
                index += 1
                return .object(object)
            default:
                throw Failure(
                    message: "expected ',' or '}' after the value of \"\(key)\", found \(describe(at: index))",
                    offset: index)
            }
        }
    }

    mutating func parseArray() throws -> JSONValue {
        index += 1  // [
        var array: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else {
                throw Failure(message: "unexpected end of file; expected ',' or ']' to close an array", offset: index)
            }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    throw Failure(message: "trailing comma before ']'; remove the comma", offset: index)
                }
            case UInt8(ascii: "]"):
                index += 1
                return .array(array)
            default:
                throw Failure(message: "expected ',' or ']' in an array, found \(describe(at: index))", offset: index)
            }
        }
    }

    mutating func parseNumber() throws -> String {
        let start = index
        func digits(_ reader: inout Reader) -> Int {
            let from = reader.index
            while reader.index < reader.bytes.count,
                  (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.index]) {
                reader.index += 1
            }
            return reader.index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            throw Failure(message: "invalid number: expected a digit after '-'", offset: start)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                throw Failure(message: "invalid number: leading zeros are not allowed", offset: start)
            }
        } else {
            _ = digits(&self)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else {
                throw Failure(message: "invalid number: expected a digit after '.'", offset: start)
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits(&self) > 0 else {
                throw Failure(message: "invalid number: expected a digit in the exponent", offset: start)
            }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// Parses a string starting at its opening quote, validating UTF-8 as it goes.
    mutating func parseString() throws -> String {
        let open = index
        index += 1
        var runStart = index
        var decoded: [UInt8]? = nil  // only allocated once an escape appears
        while true {
            guard index < bytes.count else {
                throw Failure(message: "unterminated string; add the closing '\"'", offset: open)
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
                index += 1
                if var decoded {
                    decoded.append(contentsOf: run)
                    return String(decoding: decoded, as: UTF8.self)
                }
                return String(decoding: run, as: UTF8.self)
            case UInt8(ascii: "\\"):
                if decoded == nil { decoded = [] }
                decoded!.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                try parseEscape(into: &decoded!)
                runStart = index
            case 0x00..<0x20:
                throw Failure(message: "control character in a string; escape it (e.g. \\n or \\t)", offset: index)
            case 0x00..<0x80:
                index += 1
            default:
                try skipMultibyteScalar()
            }
        }
    }

    mutating func parseEscape(into output: inout [UInt8]) throws {
        let start = index
        index += 1  // backslash
        guard index < bytes.count else {
            throw Failure(message: "unterminated escape sequence", offset: start)
        }
        let escaped = bytes[index]
        index += 1
        switch escaped {
        case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): output.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeStart: start)
            if (0xD800..<0xDC00).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw Failure(message: "lone high surrogate in \\u escape; add its low surrogate", offset: start)
                }
                index += 2
                let low = try hex4(escapeStart: start)
                guard (0xDC00..<0xE000).contains(low) else {
                    throw Failure(message: "high surrogate not followed by a low surrogate", offset: start)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw Failure(message: "lone low surrogate in \\u escape", offset: start)
            }
            output.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
        default:
            throw Failure(message: "invalid escape sequence '\\\(Character(Unicode.Scalar(escaped)))'", offset: start)
        }
    }

    mutating func hex4(escapeStart: Int) throws -> UInt32 {
        guard index + 4 <= bytes.count else {
            throw Failure(message: "incomplete \\u escape; expected four hex digits", offset: escapeStart)
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw Failure(message: "invalid \\u escape; expected four hex digits", offset: escapeStart)
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// Validates one multi-byte UTF-8 scalar (no overlongs, no surrogates, nothing above U+10FFFF).
    mutating func skipMultibyteScalar() throws {
        let start = index
        let lead = bytes[index]
        let length: Int
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07)
        default: throw Failure(message: "invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true)); the file must be UTF-8", offset: start)
        }
        guard start + length <= bytes.count else {
            throw Failure(message: "truncated UTF-8 sequence; the file must be UTF-8", offset: start)
        }
        for offset in 1..<length {
            let continuation = bytes[start + offset]
            guard continuation & 0xC0 == 0x80 else {
                throw Failure(message: "invalid UTF-8 sequence; the file must be UTF-8", offset: start)
            }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        let valid: Bool
        switch length {
        case 3: valid = scalar >= 0x800 && !(0xD800..<0xE000).contains(scalar)
        case 4: valid = scalar >= 0x10000 && scalar <= 0x10FFFF
        default: valid = true
        }
        guard valid else {
            throw Failure(message: "invalid UTF-8 sequence; the file must be UTF-8", offset: start)
        }
        index += length
    }
}
