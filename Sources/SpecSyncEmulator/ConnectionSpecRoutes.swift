import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// `/connectionSpecs` and `/connectionSpecs/{id}`: list (paged, Adobe's catalogue included), create,
/// read, full replacement (refused with 403 for a spec of another org).
/// There is no documented DELETE, so there is none here either.
struct ConnectionSpecRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let store: SpecStore

    private var presentation: SpecPresentation {
        SpecPresentation(contentPathAsString: configuration.contentPathAsString)
    }

    private var paging: ListingPage {
        ListingPage(defaultLimit: configuration.listPageSize, maximumLimit: configuration.maximumPageSize)
    }

    private var actor: ServerFields.Actor { ServerFields.Actor(clientID: configuration.clientID) }

    func list(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        let filter = try PropertyFilter(parameters: request.queryValues("property"))
        let specs = if let name = filter.exactName {
            await store.connectionSpecs(named: name)
        } else {
            await store.connectionSpecs().filter(filter.matches)
        }
        return try paging.reply(specs, request: request, collection: "/connectionSpecs", presentation: presentation)
    }

    func create(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        let body = try SpecBodyValidator.connectionSpec.validate(request.body)
        let stored = presentation.present(await store.createConnectionSpec(body, by: actor))
        var reply = EmulatorReply.json(
            .created, configuration.wrapCreateResponse ? .object(JSONObject(["items": .array([stored])])) : stored)
        if let id = stored.objectValue?["id"]?.stringValue {
            reply.headers[.location] = "/data/foundation/flowservice/connectionSpecs/\(id)"
        }
        return reply
    }

    func read(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        let id = request.parameters["id"] ?? ""
        guard let stored = await store.connectionSpec(id: id) else {
            switch configuration.missingSpecAnswer {
            case .platform404: throw .notFound("connection spec", id: id)
            case .gateway404: throw .gateway(status: 404, code: "404050", message: "Resource not found")
            case .emptyItems: return .json(.ok, presentation.items([]))
            }
        }
        return .json(.ok, presentation.items([stored]))
    }

    func replace(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        let id = request.parameters["id"] ?? ""
        let body = try SpecBodyValidator.connectionSpec.validate(request.body)
        if let owner = await store.connectionSpec(id: id)?.objectValue?["imsOrgId"]?.stringValue, owner != configuration.orgID {
            throw .platform(
                status: 403, code: "FLOW-1106-403", title: "Forbidden",
                detail: "The connection spec \(id) belongs to the organization \(owner); \(configuration.orgID) may read it but not change it.")
        }
        guard let stored = await store.replaceConnectionSpec(id: id, with: body, by: actor) else {
            throw .notFound("connection spec", id: id)
        }
        return .json(.ok, presentation.present(stored))
    }
}
