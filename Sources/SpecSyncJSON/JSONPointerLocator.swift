/// Finds where the value a JSON pointer names begins in a document's text, so that a finding about
/// a value can name a line and column as well as its pointer (code scanning places an alert by
/// line only). Reads the bytes as they are, without building values; text it cannot follow (not
/// JSON) gives nil.
public enum JSONPointerLocator {
    /// The position of the value at `pointer`, or of its deepest ancestor below the root that the
    /// text holds (where a missing member would go); nil when not even the first token is there.
    public static func position(of pointer: JSONPointer, in bytes: [UInt8]) -> TextPosition? {
        guard !pointer.tokens.isEmpty else { return nil }
        var scanner = Scanner(bytes: bytes)
        guard let offset = scanner.locate(pointer.tokens[...]), offset.depth > 0 else { return nil }
        return TextPosition(offset: offset.offset, in: bytes)
    }

    struct Scanner {
        let bytes: [UInt8]
        var index = 0

        /// The offset of the deepest value along `tokens` and how many tokens it matched.
        mutating func locate(_ tokens: ArraySlice<String>) -> (offset: Int, depth: Int)? {
            skipWhitespace()
            let start = index
            guard index < bytes.count else { return nil }
            guard let token = tokens.first else { return (start, 0) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                while true {
                    skipWhitespace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "}") { return (start, 0) }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard let key = readString() else { return nil }
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    if key == token {
                        guard let found = locate(tokens.dropFirst()) else { return nil }
                        return (found.offset, found.depth + 1)
                    }
                    guard skipValue() else { return nil }
                }
            case UInt8(ascii: "["):
                guard let wanted = Int(token), wanted >= 0 else { return (start, 0) }
                index += 1
                var position = 0
                while true {
                    skipWhitespace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "]") { return (start, 0) }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if position == wanted {
                        guard let found = locate(tokens.dropFirst()) else { return nil }
                        return (found.offset, found.depth + 1)
                    }
                    guard skipValue() else { return nil }
                    position += 1
                }
            default:
                return (start, 0)
            }
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        /// Skips one value of any kind; false when the text ends first.
        mutating func skipValue() -> Bool {
            skipWhitespace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return readString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""): guard readString() != nil else { return false }; continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { index += 1; return true }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index]) { index += 1 }
                return true
            }
        }

        /// A string at `index`, its escapes decoded; nil when it is not one or never ends.
        mutating func readString() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            var pendingHigh: UInt32?
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    flush()
                    switch escape {
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "u"):
                        guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else { return nil }
                        index += 4
                        if (0xD800..<0xDC00).contains(code) { pendingHigh = code; continue }
                        if (0xDC00..<0xE000).contains(code), let high = pendingHigh {
                            if let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)) { scalars.append(scalar) }
                        } else if let scalar = Unicode.Scalar(code) {
                            scalars.append(scalar)
                        }
                    default: scalars.append(Unicode.Scalar(escape))
                    }
                    pendingHigh = nil
                default:
                    raw.append(byte)
                }
            }
            return nil
        }
    }
}
