import Hummingbird
import SpecSyncCore

/// Versori's `/o/{org}/connectors/{connector}/connections[/{id}]`: paged list, create, read,
/// tri-state update, delete. Checked in the order the service would: key, organisation, connector.
struct VersoriRoutes: Sendable {
    static let defaultPageSize = 20
    static let maximumPageSize = 100

    let configuration: EmulatorConfiguration
    let store: VersoriStore

    /// Under `/versori/api/connect/v1`: delayed and faulted, then the key checked, then (for
    /// connections) the organisation and connector; any other path there is a 404 once the key passes.
    func add(to router: Router<EmulatorRequestContext>, stacks: MiddlewareStacks) {
        let base = router.group("versori/api/connect/v1")
        func resource(_ path: RouterPath, kind: String) -> MiddlewareStacks.Group {
            stacks.network(stacks.counted(base.group(path), kind: kind), api: .versori)
                .add(middleware: VersoriKeyMiddleware(keys: configuration.versoriAPIKeys))
        }
        let scope = VersoriScopeMiddleware(organisation: configuration.versoriOrganisation, connectors: configuration.versoriConnectors)
        let connections: RouterPath = "o/{organisation}/connectors/{connector}/connections"
        resource(connections, kind: "versoriConnections").add(middleware: scope).resource(
            methods: [.get: Self.answer(list), .post: Self.answer(create)], otherwise: Self.notAllowed(["GET", "POST"]))
        resource(connections.appendingPath("{id}"), kind: "versoriConnection").add(middleware: scope).resource(
            methods: [.get: Self.answer(read), .put: Self.answer(update), .delete: Self.answer(delete)],
            otherwise: Self.notAllowed(["GET", "PUT", "DELETE"]))
        let prefixes: [RouterPath] = ["o", "o/{organisation}", "o/{organisation}/connectors", "o/{organisation}/connectors/{connector}"]
        resource("", kind: "unknown").remainder(prefixes: prefixes) { request in
            VersoriError.notFound("no API at /\(request.segments.joined(separator: "/"))").reply
        }
    }

    static func answer(
        _ handler: @escaping @Sendable (EmulatorRequest) async throws(VersoriError) -> EmulatorReply
    ) -> EmulatorEndpoint.Handler {
        EmulatorEndpoint.catching(handler) { error, _ in error.reply }
    }

    static func notAllowed(_ allowed: [String]) -> EmulatorEndpoint.Handler {
        { _ in VersoriError.methodNotAllowed(allowed: allowed).reply }
    }

    @Sendable func list(_ request: EmulatorRequest) async throws(VersoriError) -> EmulatorReply {
        let connector = request.parameters["connector"] ?? ""
        let (first, after, before) = try pageParameters(request)
        let page = VersoriPage(ordered: await store.listed(connector: connector), first: first, after: after, before: before)
        return .json(.ok, page.json)
    }

    @Sendable func create(_ request: EmulatorRequest) async throws(VersoriError) -> EmulatorReply {
        let connector = request.parameters["connector"] ?? ""
        let body = try VersoriConnectionCreate(validating: request.body)
        guard let created = await store.createIfNameFree(connector: connector, body) else {
            throw alreadyExists(body.name, connector: connector)
        }
        // 200, not 201: the documented response of CreateConnectorConnection.
        return .json(.ok, created.json)
    }

    @Sendable func read(_ request: EmulatorRequest) async throws(VersoriError) -> EmulatorReply {
        let (connector, id) = Self.connectorAndID(request)
        guard let stored = await store.connection(connector: connector, id: id) else { throw Self.missing(id, connector) }
        return .json(.ok, stored.json)
    }

    @Sendable func update(_ request: EmulatorRequest) async throws(VersoriError) -> EmulatorReply {
        let (connector, id) = Self.connectorAndID(request)
        let body = try VersoriConnectionUpdate(validating: request.body, pathID: id)
        switch await store.update(connector: connector, id: id, with: body) {
        case .updated(let stored): return .json(.ok, stored.json)
        case .notFound: throw Self.missing(id, connector)
        case .nameTaken: throw alreadyExists(body.name, connector: connector)
        }
    }

    @Sendable func delete(_ request: EmulatorRequest) async throws(VersoriError) -> EmulatorReply {
        let (connector, id) = Self.connectorAndID(request)
        // `force` only matters for connections in use by subscriptions, which the emulator has none of.
        guard await store.delete(connector: connector, id: id) else { throw Self.missing(id, connector) }
        return .empty(.noContent)
    }

    private static func connectorAndID(_ request: EmulatorRequest) -> (String, String) {
        (request.parameters["connector"] ?? "", request.parameters["id"] ?? "")
    }

    private static func missing(_ id: String, _ connector: String) -> VersoriError {
        .notFound("connection \(id) not found in connector \(connector)")
    }

    private func alreadyExists(_ name: String, connector: String) -> VersoriError {
        VersoriError(
            status: 409, code: "already_exists",
            message: "a connection named \(name) already exists in connector \(connector)",
            fields: [.init(field: "name", message: "must be unique within the connector")])
    }

    /// `first` (default 20, at most 100: larger asks get 100), and at most one of `after`/`before`.
    private func pageParameters(_ request: EmulatorRequest) throws(VersoriError) -> (Int, VersoriCursor?, VersoriCursor?) {
        var first = Self.defaultPageSize
        if let text = request.queryValues("first").last {
            guard let value = Int(text), value >= 1 else {
                throw .badRequest("invalid query", fields: [.init(field: "first", message: "must be a positive integer")])
            }
            first = min(value, Self.maximumPageSize)
        }
        func cursor(_ name: String) throws(VersoriError) -> VersoriCursor? {
            guard let text = request.queryValues(name).last, !text.isEmpty else { return nil }
            guard let cursor = VersoriCursor(token: text) else {
                throw .badRequest("invalid query", fields: [.init(field: name, message: "is not a cursor this API issued")])
            }
            return cursor
        }
        let after = try cursor("after")
        let before = try cursor("before")
        if after != nil, before != nil {
            throw .badRequest("invalid query", fields: [.init(field: "before", message: "cannot be combined with after")])
        }
        return (first, after, before)
    }
}
