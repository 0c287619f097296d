import SpecSyncCore
import SpecSyncJSON

/// The connections of one emulated Versori organisation, by connector. An actor so that name
/// uniqueness and `updatedAt` ordering hold under concurrent requests.
public actor VersoriStore {
    private var stamper = TimestampStamper(unitsPerSecond: 1_000_000)
    private var random = SystemRandomNumberGenerator()
    /// Connector id → connection id → connection.
    private var connectionsByConnector: [String: [String: VersoriConnection]] = [:]

    init() {}

    // MARK: Inspection

    public func connection(connector: String, id: String) -> VersoriConnection? {
        connectionsByConnector[connector]?[id]
    }

    /// A connector's connections in creation order (ULIDs sort by creation time).
    public func connections(connector: String) -> [VersoriConnection] {
        (connectionsByConnector[connector] ?? [:]).values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func connection(connector: String, named name: String) -> VersoriConnection? {
        connectionsByConnector[connector]?.values.first { $0.name == name }
    }

    /// Forgets every connection; timestamps keep increasing.
    public func reset() {
        connectionsByConnector = [:]
    }

    // MARK: Out-of-band changes (someone editing in the Versori UI)

    /// Creates a connection as the UI would.
    @discardableResult
    public func createOutOfBand(
        connector: String, name: String, credentials: JSONValue = .object(JSONObject()), variables: [VersoriConnection.Variable] = []
    ) throws(VersoriStoreError) -> VersoriConnection {
        guard connection(connector: connector, named: name) == nil else { throw .nameTaken(connector: connector, name: name) }
        return create(connector: connector, VersoriConnectionCreate(name: name, credentials: credentials, variables: variables))
    }

    /// Changes what is given (nil leaves a part alone) and moves `updatedAt` on.
    @discardableResult
    public func editOutOfBand(
        connector: String, id: String, name: String? = nil, credentials: JSONValue? = nil,
        variables: [VersoriConnection.Variable]? = nil
    ) throws(VersoriStoreError) -> VersoriConnection {
        guard var connection = connection(connector: connector, id: id) else {
            throw .unknownConnection(connector: connector, id: id)
        }
        if let name, let holder = self.connection(connector: connector, named: name), holder.id != id {
            throw .nameTaken(connector: connector, name: name)
        }
        if let name { connection.name = name }
        if let credentials { connection.credentials = credentials }
        if let variables { connection.variables = variables }
        return store(connection)
    }

    /// Sets one variable (appending it when absent); nil removes it. Moves `updatedAt` on.
    @discardableResult
    public func editOutOfBand(
        connector: String, id: String, variable name: String, value: String?
    ) throws(VersoriStoreError) -> VersoriConnection {
        guard var connection = connection(connector: connector, id: id) else {
            throw .unknownConnection(connector: connector, id: id)
        }
        let index = connection.variables.firstIndex { $0.name == name }
        switch (index, value) {
        case (let index?, let value?): connection.variables[index].value = value
        case (let index?, nil): connection.variables.remove(at: index)
        case (nil, let value?): connection.variables.append(.init(name: name, value: value))
        case (nil, nil): break
        }
        return store(connection)
    }

    public func deleteOutOfBand(connector: String, id: String) throws(VersoriStoreError) {
        guard delete(connector: connector, id: id) else { throw .unknownConnection(connector: connector, id: id) }
    }

    // MARK: Writes through the API

    /// Nil when the name is taken in the connector.
    func createIfNameFree(connector: String, _ body: VersoriConnectionCreate) -> VersoriConnection? {
        guard connection(connector: connector, named: body.name) == nil else { return nil }
        return create(connector: connector, body)
    }

    enum UpdateOutcome: Sendable {
        case updated(VersoriConnection)
        case notFound
        case nameTaken
    }

    /// Applies the tri-state update: absent `credentials`/`variables` keep what is stored.
    func update(connector: String, id: String, with body: VersoriConnectionUpdate) -> UpdateOutcome {
        guard var connection = connection(connector: connector, id: id) else { return .notFound }
        if let holder = self.connection(connector: connector, named: body.name), holder.id != id { return .nameTaken }
        connection.name = body.name
        if let credentials = body.credentials { connection.credentials = credentials }
        if let variables = body.variables { connection.variables = variables }
        return .updated(store(connection))
    }

    func delete(connector: String, id: String) -> Bool {
        connectionsByConnector[connector]?.removeValue(forKey: id) != nil
    }

    /// The listing order: most recently updated first.
    func listed(connector: String) -> [VersoriConnection] {
        (connectionsByConnector[connector] ?? [:]).values.sorted(by: VersoriCursor.precedes)
    }

    private func create(connector: String, _ body: VersoriConnectionCreate) -> VersoriConnection {
        let now = stamper.next()
        let timestamp = RFC3339.format(microseconds: now)
        var id: String
        repeat {
            id = ULID.make(milliseconds: now / 1_000, using: &random)
        } while connectionsByConnector[connector]?[id] != nil
        let connection = VersoriConnection(
            id: id, connector: connector, name: body.name, credentials: body.credentials, variables: body.variables,
            createdAt: timestamp, updatedAt: timestamp)
        connectionsByConnector[connector, default: [:]][id] = connection
        return connection
    }

    /// Stores a changed connection with a new, strictly later `updatedAt`.
    private func store(_ connection: VersoriConnection) -> VersoriConnection {
        var connection = connection
        connection.updatedAt = RFC3339.format(microseconds: stamper.next())
        connectionsByConnector[connection.connector, default: [:]][connection.id] = connection
        return connection
    }
}
