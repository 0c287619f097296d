import SpecSyncCore
import SpecSyncJSON

extension FlowServiceClient: FlowSpecRegistering {
    /// `GET /flowSpecs/{id}`: the flow spec document.
    public func flowSpec(id: String) async throws -> JSONValue {
        let path = "/flowSpecs/\(APIClient.escape(id))"
        let response = try await send("GET", path, idempotent: true)
        do {
            let document = try JSONParser().parse(response.body)
            if case .array(let items)? = document[JSONPointer("/items")], let first = items.first { return first }
            return document
        } catch {
            throw RequestError.invalidResponse(method: "GET", url: endpoint.baseURL + path, reason: "the body is not JSON (\(error))")
        }
    }

    public func register(specIDs: [String], inFlowSpec flowSpecID: String) async throws -> [String] {
        let current = try await flowSpec(id: flowSpecID)
        guard case .object(var object) = current else {
            throw RequestError.invalidResponse(method: "GET", url: endpoint.baseURL + "/flowSpecs/\(flowSpecID)", reason: "the flow spec is not an object")
        }
        var ids = object["sourceConnectionSpecIds"]?.arrayValue ?? []
        var listed = Set(ids.compactMap(\.stringValue))
        var added: [String] = []
        for specID in specIDs where listed.insert(specID).inserted {
            ids.append(.string(specID))
            added.append(specID)
        }
        if added.isEmpty { return [] }
        object["sourceConnectionSpecIds"] = .array(ids)
        // PUT replaces the whole flow spec, which every partner's sources hang off: send every
        // field the GET returned under the GET's own names (`transformationSpecs`, not the
        // docs' `transformationSpec`; `permissionsInfo`, which the request schema accepts), minus
        // only the fields the server owns.
        for field in ReplacementBodyBuilder.serverOwnedFields { object[field] = nil }
        let path = "/flowSpecs/\(APIClient.escape(flowSpecID))"
        _ = try await send("PUT", path, body: JSONValue.object(object).canonicalBytes, idempotent: true)
        // No etag exists for flow specs: check that the ids are really there now, and that nothing
        // but the id lists changed.
        let verified = try await flowSpec(id: flowSpecID)
        let present = Set((verified[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue ?? []).compactMap(\.stringValue))
        if let missing = added.first(where: { !present.contains($0) }) {
            throw RequestError.invalidResponse(method: "PUT", url: endpoint.baseURL + path,
                                               reason: "the flow spec does not list \(missing) after the update (changed concurrently?)")
        }
        if let changed = Self.changedOutsideIDLists(before: current, after: verified) {
            throw RequestError.invalidResponse(
                method: "PUT", url: endpoint.baseURL + path,
                reason: "the flow spec \(flowSpecID) changed beyond its spec id lists after the update: \(changed); other sources depend on it, so compare it with what it held before (GET /flowSpecs/\(flowSpecID)) and restore it")
        }
        return added
    }

    /// The first field, other than the server's own and the spec id lists, that differs between
    /// two GETs of a flow spec ("/transformationSpecs is gone", "/optionSpec/name changed"), or nil.
    static func changedOutsideIDLists(before: JSONValue, after: JSONValue) -> String? {
        let ignored = Set(ReplacementBodyBuilder.serverOwnedFields + ["sourceConnectionSpecIds", "targetConnectionSpecIds"])
        func kept(_ value: JSONValue) -> JSONValue {
            guard case .object(var object) = value else { return value }
            for key in object.keys where ignored.contains(key) { object[key] = nil }
            return .object(object)
        }
        guard let difference = JSONDifference.between(kept(before), kept(after)).first else { return nil }
        switch difference.change {
        case .added: return "\(difference.pointer) appeared"
        case .removed: return "\(difference.pointer) is gone"
        case .changed: return "\(difference.pointer) changed"
        }
    }
}
