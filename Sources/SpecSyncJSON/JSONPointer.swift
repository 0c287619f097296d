/// An RFC 6901 JSON pointer ("/sourceSpec/attributes/urlParams/path"): where in a document a
/// diagnostic or a difference applies.
public struct JSONPointer: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let tokens: [String]

    public static let root = JSONPointer(tokens: [])

    public init(tokens: [String]) { self.tokens = tokens }

    /// Parses "/a/b~1c"; anything that does not start with "/" is the root.
    ///
    /// On the UTF-8 bytes, each token made once ("/" never occurs inside a multi-byte character):
    /// validation parses the same literal pointers for every bundle, and splitting into substrings
    /// first was 7% of evaluating one.
    public init(_ text: String) {
        var text = text
        self.tokens = text.withUTF8 { bytes in
            guard bytes.first == UInt8(ascii: "/") else { return [] }
            var tokens: [String] = []
            var start = 1
            for index in 1...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
                let token = UnsafeBufferPointer(rebasing: bytes[start..<index])
                tokens.append(token.contains(UInt8(ascii: "~"))
                    ? Self.unescape(Substring(String(decoding: token, as: UTF8.self))) : String(decoding: token, as: UTF8.self))
                start = index + 1
            }
            return tokens
        }
    }

    public func appending(_ token: String) -> JSONPointer {
        var tokens = tokens
        tokens.append(token)
        return JSONPointer(tokens: tokens)
    }
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    public var description: String {
        tokens.isEmpty ? "" : tokens.map { "/" + Self.escape($0) }.joined()
    }

    /// "~1" is "/", "~0" is "~" (in that order, so "~01" stays "~1").
    static func unescape(_ token: Substring) -> String {
        guard token.utf8.contains(UInt8(ascii: "~")) else { return String(token) }
        var result = ""
        var characters = token.makeIterator()
        while let character = characters.next() {
            guard character == "~" else { result.append(character); continue }
            switch characters.next() {
            case "1": result.append("/")
            case "0": result.append("~")
            case let other?: result.append("~"); result.append(other)
            case nil: result.append("~")
            }
        }
        return result
    }

    static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var result = ""
        for character in token {
            switch character {
            case "~": result += "~0"
            case "/": result += "~1"
            default: result.append(character)
            }
        }
        return result
    }

    public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        lhs.tokens.lexicographicallyPrecedes(rhs.tokens)
    }

    public init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
