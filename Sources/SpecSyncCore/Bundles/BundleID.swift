/// A bundle's name: its folder under the root (`Sources/<source>/`), which is also the file prefix.
public struct BundleID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let source: String

    public init(_ source: String) { self.source = source }

    public var description: String { source }

    public static func < (lhs: BundleID, rhs: BundleID) -> Bool {
        lhs.source.utf8.lexicographicallyPrecedes(rhs.source.utf8)
    }

    public init(from decoder: Decoder) throws {
        source = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
}
