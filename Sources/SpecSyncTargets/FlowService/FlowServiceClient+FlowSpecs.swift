import SpecSyncCore

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
        // PUT replaces the whole flow spec: send everything it had, minus what the server owns.
        for field in ReplacementBodyBuilder.serverOwnedFields + ["permissionsInfo"] { object[field] = nil }
        let path = "/flowSpecs/\(APIClient.escape(flowSpecID))"
        _ = try await send("PUT", path, body: JSONValue.object(object).canonicalBytes, idempotent: true)
        // No etag exists for flow specs: check that the ids are really there now.
        let verified = try await flowSpec(id: flowSpecID)
        let present = Set((verified[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue ?? []).compactMap(\.stringValue))
        if let missing = added.first(where: { !present.contains($0) }) {
            throw RequestError.invalidResponse(method: "PUT", url: endpoint.baseURL + path,
                                               reason: "the flow spec does not list \(missing) after the update (changed concurrently?)")
        }
        return added
    }
}
