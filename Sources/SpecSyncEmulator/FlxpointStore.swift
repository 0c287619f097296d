/// The connections of one emulated Flxpoint account. Separate from `SpecStore` because it is a
/// different service; the rate limit's bookkeeping lives in `SpecStore` with the other statistics.
public actor FlxpointStore {
    /// Never reset: an id a client remembers from before a reset must not name a new connection.
    private var nextID = 1
    private var connectionsByID: [Int: FlxpointConnection] = [:]

    init() {}

    // MARK: Inspection

    /// The stored connection, secrets unmasked.
    public func connection(id: Int) -> FlxpointConnection? { connectionsByID[id] }

    /// Every stored connection by ascending id, secrets unmasked.
    public func connections() -> [FlxpointConnection] {
        connectionsByID.values.sorted { $0.id < $1.id }
    }

    /// Connections named exactly `name`; more than one means duplicates were created.
    public func connections(named name: String) -> [FlxpointConnection] {
        connections().filter { $0.name == name }
    }

    /// Forgets every connection; ids keep ascending.
    public func reset() {
        connectionsByID = [:]
    }

    // MARK: Out-of-band changes (someone editing in the Flxpoint UI)

    /// Renames a connection.
    @discardableResult
    public func editOutOfBand(id: Int, name: String) throws(FlxpointStoreError) -> FlxpointConnection {
        try edit(id) { $0.name = name }
    }

    /// Sets the value of the config `handle` (appending it when absent); nil removes the config.
    @discardableResult
    public func editOutOfBand(id: Int, handle: String, value: String?) throws(FlxpointStoreError) -> FlxpointConnection {
        try edit(id) { connection in
            let index = connection.configs.firstIndex { $0.handle == handle }
            switch (index, value) {
            case (let index?, let value?): connection.configs[index].value = value
            case (let index?, nil): connection.configs.remove(at: index)
            case (nil, let value?): connection.configs.append(.init(handle: handle, value: value))
            case (nil, nil): break
            }
        }
    }

    /// Removes a connection as if deleted in the UI (the documented API has no DELETE).
    public func deleteOutOfBand(id: Int) throws(FlxpointStoreError) {
        guard connectionsByID.removeValue(forKey: id) != nil else { throw .unknownConnection(id: id) }
    }

    private func edit(_ id: Int, _ change: (inout FlxpointConnection) -> Void) throws(FlxpointStoreError) -> FlxpointConnection {
        guard var connection = connectionsByID[id] else { throw .unknownConnection(id: id) }
        change(&connection)
        connectionsByID[id] = connection
        return connection
    }

    // MARK: Writes through the API

    func create(_ body: FlxpointConnectionBody) -> FlxpointConnection {
        let connection = FlxpointConnection(
            id: nextID, connectionType: body.connectionType, name: body.name, configs: body.configs)
        nextID += 1
        connectionsByID[connection.id] = connection
        return connection
    }

    /// Full replacement: a config the body does not list is gone. Nil when there is no such connection.
    func replace(id: Int, with body: FlxpointConnectionBody) -> FlxpointConnection? {
        guard connectionsByID[id] != nil else { return nil }
        let connection = FlxpointConnection(id: id, connectionType: body.connectionType, name: body.name, configs: body.configs)
        connectionsByID[id] = connection
        return connection
    }
}
