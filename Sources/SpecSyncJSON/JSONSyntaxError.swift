/// A JSON document that does not parse: what is wrong and where (1-based line and column, columns
/// counted in Unicode scalars as editors show them).
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// Byte offset of the offending input.
    public let offset: Int
    public let line: Int
    public let column: Int

    public var description: String { "\(line):\(column): \(message)" }
}
