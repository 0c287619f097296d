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

    public func register(specID: String, inFlowSpec flowSpecID: String) async throws -> Bool {
        let current = try await flowSpec(id: flowSpecID)
        guard case .object(var object) = current else {
            throw RequestError.invalidResponse(method: "GET", url: endpoint.baseURL + "/flowSpecs/\(flowSpecID)", reason: "the flow spec is not an object")
        }
        var ids = object["sourceConnectionSpecIds"]?.arrayValue ?? []
        if ids.contains(.string(specID)) { return false }
        ids.append(.string(specID))
        object["sourceConnectionSpecIds"] = .array(ids)
        // PUT replaces the whole flow spec: send everything it had, minus what the server owns.
        for field in ReplacementBodyBuilder.serverOwnedFields + ["permissionsInfo"] { object[field] = nil }
        let path = "/flowSpecs/\(APIClient.escape(flowSpecID))"
        _ = try await send("PUT", path, body: JSONValue.object(object).canonicalBytes, idempotent: true)
        // No etag exists for flow specs: check that the id is really there now.
        let verified = try await flowSpec(id: flowSpecID)
        guard verified[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue?.contains(.string(specID)) == true else {
            throw RequestError.invalidResponse(method: "PUT", url: endpoint.baseURL + path,
                                                   reason: "the flow spec does not list \(specID) after the update (changed concurrently?)")
        }
        return true
    }
}
