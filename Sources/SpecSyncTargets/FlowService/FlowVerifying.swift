import SpecSyncCore
import SpecSyncJSON

/// The Flow Service calls of the Self-Serve Sources verification chain, by resource collection
/// ("connections", "sourceConnections", "flows"). A protocol because it is an I/O seam.
public protocol FlowVerifying: Sendable {
    /// `POST /{collection}`: the new resource's id.
    func createResource(_ collection: String, body: JSONValue) async throws -> String
    /// `DELETE /{collection}/{id}`; false when it was gone already (404).
    func deleteResource(_ collection: String, id: String) async throws -> Bool
    /// Ids of the resources named exactly `name`: a creation whose answer was lost.
    func resourceIDs(_ collection: String, named name: String) async throws -> [String]
    /// `GET /connections/{id}/test`.
    func testConnection(id: String) async throws
    /// `GET /connections/{id}/explore?objectType=rest&object=json&…&sourceParams=…`: the preview's records.
    func explore(connectionID: String, sourceParams: JSONValue) async throws -> [JSONValue]
    /// `GET /runs?property=flowId==…`: the flow's runs, newest last.
    func runs(flowID: String) async throws -> [JSONValue]
    /// `GET /connectionSpecs/{id}`.
    func connectionSpec(id: String) async throws -> RemoteSpec?
}
