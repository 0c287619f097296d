import Hummingbird
import SpecSyncCore

/// `/connectionSpecs` and `/connectionSpecs/{id}`: list, create, read, full replacement.
/// There is no documented DELETE, so there is none here either.
struct ConnectionSpecRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let store: SpecStore

    private var presentation: SpecPresentation {
        SpecPresentation(contentPathAsString: configuration.contentPathAsString)
    }

    private var actor: ServerFields.Actor { ServerFields.Actor(clientID: configuration.clientID) }

    func collection(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        switch request.method {
        case .get:
            let filter = try PropertyFilter(parameters: request.queryValues("property"))
            let specs = if let name = filter.exactName {
                await store.connectionSpecs(named: name)
            } else {
                await store.connectionSpecs().filter(filter.matches)
            }
            // The documented ConnectionSpecResponse is `{"items": [...]}`, nothing else.
            return .json(.ok, presentation.items(specs))
        case .post:
            let body = try SpecBodyValidator.connectionSpec.validate(request.body)
            let stored = presentation.present(await store.createConnectionSpec(body, by: actor))
            var reply = EmulatorReply.json(
                .created, configuration.wrapCreateResponse ? .object(JSONObject(["items": .array([stored])])) : stored)
            if let id = stored.objectValue?["id"]?.stringValue {
                reply.headers[.location] = "/data/foundation/flowservice/connectionSpecs/\(id)"
            }
            return reply
        default:
            throw MethodNotAllowed.error(request.method, allowed: ["GET", "POST"], path: "/connectionSpecs")
        }
    }

    func item(_ request: EmulatorRequest, id: String) async throws(EmulatorError) -> EmulatorReply {
        switch request.method {
        case .get:
            guard let stored = await store.connectionSpec(id: id) else {
                throw .notFound("connection spec", id: id)
            }
            return .json(.ok, presentation.items([stored]))
        case .put:
            let body = try SpecBodyValidator.connectionSpec.validate(request.body)
            guard let stored = await store.replaceConnectionSpec(id: id, with: body, by: actor) else {
                throw .notFound("connection spec", id: id)
            }
            return .json(.ok, presentation.present(stored))
        default:
            throw MethodNotAllowed.error(request.method, allowed: ["GET", "PUT"], path: "/connectionSpecs/{id}")
        }
    }
}
