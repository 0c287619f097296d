/// A PostgreSQL failure in words: the server's message and SQLSTATE where it sent one, and where.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// "db.example:5432/specsync".
    public let server: String
    public let message: String
    /// The five-character SQLSTATE, when the server answered at all.
    public let sqlState: String?
    /// The session is gone (closed, terminated, the network lost): nothing more goes through it.
    public let connectionLost: Bool

    public init(server: String, message: String, sqlState: String? = nil, connectionLost: Bool = false) {
        self.server = server
        self.message = message
        self.sqlState = sqlState
        self.connectionLost = connectionLost
    }

    public var description: String {
        "PostgreSQL at \(server): \(message)\(sqlState.map { " (SQLSTATE \($0))" } ?? "")"
    }
}
