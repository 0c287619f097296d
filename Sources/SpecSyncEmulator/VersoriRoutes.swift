import Hummingbird
import SpecSyncCore

/// Versori's `/o/{org}/connectors/{connector}/connections[/{id}]`: paged list, create, read,
/// tri-state update, delete. Checked in the order the service would: key, organisation, connector.
struct VersoriRoutes: Sendable {
    static let defaultPageSize = 20
    static let maximumPageSize = 100

    let configuration: EmulatorConfiguration
    let store: VersoriStore

    func handle(_ request: EmulatorRequest, route: Route) async -> EmulatorReply {
        do throws(VersoriError) {
            guard let key = bearer(request), configuration.versoriAPIKeys.contains(key) else {
                throw VersoriError(status: 401, code: "unauthorized", message: "missing or invalid API key")
            }
            switch route {
            case .versoriConnections(let organisation, let connector):
                try check(organisation: organisation, connector: connector)
                return try await collection(request, connector: connector)
            case .versoriConnection(let organisation, let connector, let id):
                try check(organisation: organisation, connector: connector)
                return try await item(request, connector: connector, id: id)
            default:
                throw .notFound("no API at /\(request.segments.joined(separator: "/"))")
            }
        } catch {
            return error.reply
        }
    }

    private func check(organisation: String, connector: String) throws(VersoriError) {
        guard organisation == configuration.versoriOrganisation else {
            throw .notFound("organisation \(organisation) not found")
        }
        if let connectors = configuration.versoriConnectors, !connectors.contains(connector) {
            throw .notFound("connector \(connector) not found")
        }
    }

    private func collection(_ request: EmulatorRequest, connector: String) async throws(VersoriError) -> EmulatorReply {
        switch request.method {
        case .get:
            let (first, after, before) = try pageParameters(request)
            let page = VersoriPage(ordered: await store.listed(connector: connector), first: first, after: after, before: before)
            return .json(.ok, page.json)
        case .post:
            let body = try VersoriConnectionCreate(validating: request.body)
            guard let created = await store.createIfNameFree(connector: connector, body) else {
                throw alreadyExists(body.name, connector: connector)
            }
            // 200, not 201: the documented response of CreateConnectorConnection.
            return .json(.ok, created.json)
        default:
            throw .methodNotAllowed(allowed: ["GET", "POST"])
        }
    }

    private func item(_ request: EmulatorRequest, connector: String, id: String) async throws(VersoriError) -> EmulatorReply {
        let missing = VersoriError.notFound("connection \(id) not found in connector \(connector)")
        switch request.method {
        case .get:
            guard let stored = await store.connection(connector: connector, id: id) else { throw missing }
            return .json(.ok, stored.json)
        case .put:
            let body = try VersoriConnectionUpdate(validating: request.body, pathID: id)
            switch await store.update(connector: connector, id: id, with: body) {
            case .updated(let stored): return .json(.ok, stored.json)
            case .notFound: throw missing
            case .nameTaken: throw alreadyExists(body.name, connector: connector)
            }
        case .delete:
            // `force` only matters for connections in use by subscriptions, which the emulator has none of.
            guard await store.delete(connector: connector, id: id) else { throw missing }
            return .empty(.noContent)
        default:
            throw .methodNotAllowed(allowed: ["GET", "PUT", "DELETE"])
        }
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

    private func bearer(_ request: EmulatorRequest) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = parts[1].trimmingWhitespace()
        return key.isEmpty ? nil : key
    }
}
