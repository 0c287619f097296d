/// A bundle's name: its folder under the root (`Sources/<source>/`), which is also the file prefix.
///
/// Compared and hashed by its UTF-8 bytes, as git names paths: Swift's `String` equality is
/// canonical, so `café` written precomposed (NFC) and decomposed (NFD) would be one bundle to Swift
/// and two folders to git — one of them silently never synced. `NormalizationTwins` reports such
/// pairs as errors instead.
public struct BundleID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let source: String

    public init(_ source: String) { self.source = source }

    public init(stringLiteral source: String) { self.source = source }

    public var description: String { source }

    // On the bytes at once (memcmp, one hasher call), not byte by byte through `String.UTF8View`:
    // a pass over 100,000 bundles hashes and compares every name several times (sets of the
    // folders, the candidates, the sorted lists), and the generic walk was a visible part of it.

    public static func == (lhs: BundleID, rhs: BundleID) -> Bool {
        lhs.source.utf8.count == rhs.source.utf8.count && ByteOrder.compare(lhs.source, rhs.source) == 0
    }

    public func hash(into hasher: inout Hasher) {
        var source = source
        source.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(0xFF as UInt8)  // never a UTF-8 byte: ends the name
    }

    public static func < (lhs: BundleID, rhs: BundleID) -> Bool {
        ByteOrder.compare(lhs.source, rhs.source) < 0
    }

    /// Whether every byte of the name is ASCII (`ASCIIScan`).
    public var isASCII: Bool {
        var source = source
        return source.withUTF8(ASCIIScan.isASCII)
    }

    /// The name with every non-ASCII scalar spelled out (`cafe\u{301}`), so that two names that look
    /// alike can be told apart in a message.
    public var escapedForDisplay: String {
        var text = ""
        for scalar in source.unicodeScalars {
            if scalar.isASCII { text.unicodeScalars.append(scalar) } else { text += "\\u{" + String(scalar.value, radix: 16) + "}" }
        }
        return text
    }

    public init(from decoder: Decoder) throws {
        source = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
}
