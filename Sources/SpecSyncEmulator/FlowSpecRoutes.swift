import Hummingbird
import SpecSyncCore

/// `/flowSpecs` and `/flowSpecs/{id}`: read and fully replace, which is how a new source is added to
/// `RestStorageToAEP`'s `sourceConnectionSpecIds` (GET, edit, PUT the whole spec, GET to check).
struct FlowSpecRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let store: SpecStore

    private var presentation: SpecPresentation { SpecPresentation(contentPathAsString: false) }

    func collection(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        guard request.method == .get else {
            throw MethodNotAllowed.error(request.method, allowed: ["GET"], path: "/flowSpecs")
        }
        let filter = try PropertyFilter(parameters: request.queryValues("property"))
        return .json(.ok, presentation.items(await store.flowSpecs().filter(filter.matches)))
    }

    func item(_ request: EmulatorRequest, id: String) async throws(EmulatorError) -> EmulatorReply {
        switch request.method {
        case .get:
            guard let stored = await store.flowSpec(id: id) else { throw .notFound("flow spec", id: id) }
            return .json(.ok, presentation.items([stored]))
        case .put:
            let body = try SpecBodyValidator.flowSpec.validate(request.body)
            let actor = ServerFields.Actor(clientID: configuration.clientID)
            guard let stored = await store.replaceFlowSpec(id: id, with: body, by: actor) else {
                throw .notFound("flow spec", id: id)
            }
            return .json(.ok, presentation.present(stored))
        default:
            throw MethodNotAllowed.error(request.method, allowed: ["GET", "PUT"], path: "/flowSpecs/{id}")
        }
    }
}
