import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// `/flowSpecs` and `/flowSpecs/{id}`: read and fully replace, which is how a new source is added to
/// `RestStorageToAEP`'s `sourceConnectionSpecIds` (GET, edit, PUT the whole spec, GET to check). A
/// PUT must keep every field the flow spec has.
struct FlowSpecRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let store: SpecStore

    private var presentation: SpecPresentation { SpecPresentation(contentPathAsString: false) }

    func list(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        let filter = try PropertyFilter(parameters: request.queryValues("property"))
        let paging = ListingPage(defaultLimit: configuration.listPageSize, maximumLimit: configuration.maximumPageSize)
        return try paging.reply(
            await store.flowSpecs().filter(filter.matches), request: request, collection: "/flowSpecs", presentation: presentation)
    }

    func read(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        let id = request.parameters["id"] ?? ""
        guard let stored = await store.flowSpec(id: id) else { throw .notFound("flow spec", id: id) }
        return .json(.ok, presentation.items([stored]))
    }

    func replace(_ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        let id = request.parameters["id"] ?? ""
        let body = try SpecBodyValidator.flowSpec.validate(request.body)
        if let previous = await store.flowSpec(id: id)?.objectValue { try Self.checkKept(previous, in: body, id: id) }
        let actor = ServerFields.Actor(clientID: configuration.clientID)
        guard let stored = await store.replaceFlowSpec(id: id, with: body, by: actor) else {
            throw .notFound("flow spec", id: id)
        }
        return .json(.ok, presentation.present(stored))
    }

    /// Stricter than the service on purpose: a flow spec is shared by every partner's sources, so a
    /// PUT that leaves out a field the spec has (or sends one under another name, such as the
    /// docs' `transformationSpec` for the GET's `transformationSpecs`) is refused, naming the
    /// fields; only the spec id lists may be left out.
    static func checkKept(_ previous: JSONObject, in body: JSONObject, id: String) throws(EmulatorError) {
        let dropped = previous.keys.filter {
            !ServerFields.owned.contains($0) && !SeedFlowSpec.idLists.contains($0) && !body.contains($0)
        }
        let added = body.keys.filter { !previous.contains($0) && !SeedFlowSpec.idLists.contains($0) }
        guard !dropped.isEmpty || !added.isEmpty else { return }
        var problems: [String] = []
        if !dropped.isEmpty { problems.append("it leaves out \(dropped.joined(separator: ", "))") }
        if !added.isEmpty { problems.append("it adds \(added.joined(separator: ", ")), which the flow spec does not have") }
        throw .badRequest(
            "Refused: this PUT would change the shape of the flow spec \(id) that other sources depend on: "
                + problems.joined(separator: " and ")
                + ". Send every field of a GET (minus the server's own) under the GET's names, changing only sourceConnectionSpecIds.",
            code: "FLOW-1109-400")
    }
}
