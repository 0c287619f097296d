import SpecSyncCore
import SpecSyncJSON

/// A Versori connection as the emulator stores it and the API shows it.
public struct VersoriConnection: Sendable, Equatable {
    /// One `ConnectionVariable`.
    public struct Variable: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A ULID.
    public let id: String
    /// The connector the connection belongs to; names are unique within it.
    public let connector: String
    public var name: String
    /// `ConnectionCredentials` as the client sent them.
    public var credentials: JSONValue
    public var variables: [Variable]
    /// RFC 3339 with microseconds; strictly increasing across writes, so comparable as strings.
    public let createdAt: String
    public var updatedAt: String

    public init(
        id: String, connector: String, name: String, credentials: JSONValue, variables: [Variable],
        createdAt: String, updatedAt: String
    ) {
        self.id = id
        self.connector = connector
        self.name = name
        self.credentials = credentials
        self.variables = variables
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The value of the variable `name`, if there is one.
    public func value(of name: String) -> String? {
        variables.first { $0.name == name }?.value
    }
}
