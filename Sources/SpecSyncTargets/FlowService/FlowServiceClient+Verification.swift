#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncJSON

extension FlowServiceClient: FlowVerifying {
    public func createResource(_ collection: String, body: JSONValue) async throws -> String {
        let path = "/\(collection)"
        let response = try await send("POST", path, body: body.canonicalBytes, idempotent: false)
        guard let document = try? JSONParser().parse(response.body), let id = document[JSONPointer("/id")]?.stringValue else {
            throw RequestError.invalidResponse(method: "POST", url: endpoint.baseURL + path, reason: "the answer holds no id")
        }
        return id
    }

    public func deleteResource(_ collection: String, id: String) async throws -> Bool {
        do {
            _ = try await send("DELETE", "/\(collection)/\(APIClient.escape(id))", idempotent: true)
            return true
        } catch let error as RequestError where error.status == 404 {
            return false
        }
    }

    public func resourceIDs(_ collection: String, named name: String) async throws -> [String] {
        let query = "property=" + APIClient.escapeQuery("name==\"\(name)\"")
        return try await items(of: send("GET", "/\(collection)", query: query, idempotent: true), "/\(collection)")
            .filter { $0[JSONPointer("/name")]?.stringValue == name }
            .compactMap { $0[JSONPointer("/id")]?.stringValue }
    }

    public func testConnection(id: String) async throws {
        _ = try await send("GET", "/connections/\(APIClient.escape(id))/test", idempotent: true)
    }

    public func explore(connectionID: String, sourceParams: JSONValue) async throws -> [JSONValue] {
        let encoded = Data(sourceParams.canonicalBytes).base64EncodedString()
        let query = "objectType=rest&object=json&fileType=json&preview=true&sourceParams=" + APIClient.escapeQuery(encoded)
        let path = "/connections/\(APIClient.escape(connectionID))/explore"
        let response = try await send("GET", path, query: query, idempotent: true)
        guard let document = try? JSONParser().parse(response.body) else {
            throw RequestError.invalidResponse(method: "GET", url: endpoint.baseURL + path, reason: "the body is not JSON")
        }
        return document[JSONPointer("/data")]?.arrayValue ?? []
    }

    public func runs(flowID: String) async throws -> [JSONValue] {
        let query = "property=" + APIClient.escapeQuery("flowId==\(flowID)")
        return try items(of: await send("GET", "/runs", query: query, idempotent: true), "/runs")
    }

    private func items(of response: TransportResponse, _ path: String) throws -> [JSONValue] {
        guard let document = try? JSONParser().parse(response.body) else {
            throw RequestError.invalidResponse(method: "GET", url: endpoint.baseURL + path, reason: "the body is not JSON")
        }
        return document[JSONPointer("/items")]?.arrayValue ?? []
    }
}
