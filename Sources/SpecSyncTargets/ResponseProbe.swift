import SpecSyncCore
import SpecSyncJSON

/// Every decoder of a server's answer on arbitrary bytes — Flow Service specs (bare or
/// `{"items":[…]}`), Flxpoint and Versori connections, the three error shapes — with the
/// properties that must hold whatever a remote sends: a value or an error (never a trap), an id
/// that is not empty, a revision that matches `updatedAt`, an error that keeps its status. The fuzz
/// target (`Tests/Fuzz/`, `--target responses`) runs it; a unit test replays `Tests/Fuzz/corpus-responses`.
public enum ResponseProbe {
    /// Properties that did not hold for `bytes` as a response body; any entry is a bug.
    public static func run(_ bytes: [UInt8]) -> [String] {
        var violations: [String] = []
        if let specs = try? RemoteSpec.list(from: bytes) {
            for spec in specs {
                if spec.id.isEmpty { violations.append("a Flow Service spec with an empty id") }
                if spec.revision != spec.updatedAt.map(String.init) {
                    violations.append("a Flow Service revision \(spec.revision ?? "nil") that is not its updatedAt")
                }
            }
        }
        if let document = try? JSONParser().parse(bytes) {
            for item in candidates(document) {
                if let connection = try? FlxpointClient.connection(item) {
                    if Int64(connection.id) == nil { violations.append("a Flxpoint id '\(connection.id)' that is not an integer") }
                    if connection.revision?.hasPrefix("sha256:") != true { violations.append("a Flxpoint revision that is not a hash") }
                }
                if let connection = try? VersoriClient.connection(item), connection.id.isEmpty {
                    violations.append("a Versori connection with an empty id")
                }
            }
        }
        for status in [400, 401, 404, 429, 500] {
            let error = APIError.parse(method: "GET", url: "http://127.0.0.1/probe", response: TransportResponse(status: status, body: bytes))
            if error.status != status { violations.append("an error for HTTP \(status) that says \(error.status)") }
        }
        return violations
    }

    /// The document and the elements of its lists: a listing holds connections one level down.
    static func candidates(_ document: JSONValue) -> [JSONValue] {
        var values = [document]
        if case .array(let items) = document { values += items }
        if case .array(let items)? = document[JSONPointer("/items")] { values += items }
        if case .array(let items)? = document[JSONPointer("/data")] { values += items }
        return values
    }
}
