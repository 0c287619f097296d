import SpecSyncJSON
/// A JSONPath that cannot be read: what is wrong and at which column (1-based) of the path.
public struct JSONPathError: Error, Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let column: Int
    public let message: String

    public init(path: String, column: Int, message: String) {
        self.path = path
        self.column = column
        self.message = message
    }

    public var description: String { "\(path) is not a JSONPath this runtime reads: \(message) at column \(column)" }
}
