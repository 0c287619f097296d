#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// The Self-Serve Sources verification chain: `/connections` (create, read, delete, `/test`,
/// `/explore`), `/sourceConnections`, `/flows` (a one-off flow starts a run) and `/runs`. Test,
/// explore and runs ask `configuration.sourceProbe` to run the spec against the third-party API,
/// so a spec that does not work fails here as it would at Adobe.
struct VerificationRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let specs: SpecStore
    let store: VerificationStore

    static let collections: Set<String> = Set(VerificationStore.Collection.allCases.map(\.rawValue))

    private var actor: ServerFields.Actor { ServerFields.Actor(clientID: configuration.clientID) }

    /// `path`: the segments after the Flow Service base, e.g. ["connections", id, "test"].
    func handle(_ request: EmulatorRequest, path: [String]) async throws(EmulatorError) -> EmulatorReply {
        guard let collection = VerificationStore.Collection(rawValue: path[0]), path.count <= 3 else { throw Self.noRoute }
        let step = "\(request.method.rawValue) \(path[0])" + (path.count == 3 ? "/\(path[2])" : "")
        if let delay = await store.settings.delayMilliseconds[step], delay > 0 {
            await store.noteHeld(step)
            try? await Task.sleep(for: .milliseconds(delay))
        }
        switch (request.method, path.count) {
        case (.get, 1):
            return .json(.ok, .object(JSONObject(["items": .array(await listed(collection, request: request))])))
        case (.post, 1):
            return try await create(collection, request)
        case (.get, 2):
            guard let item = await store.item(collection, id: path[1]) else { throw EmulatorError.notFound(collection.rawValue, id: path[1]) }
            return .json(.ok, .object(JSONObject(["items": .array([await present(item, collection)])])))
        case (.delete, 2):
            guard collection != .runs else { throw MethodNotAllowed.error(request.method, allowed: ["GET"], path: "/runs/{id}") }
            guard await store.delete(collection, id: path[1]) else { throw EmulatorError.notFound(collection.rawValue, id: path[1]) }
            return .empty(.noContent)
        case (.get, 3) where collection == .connections && path[2] == "test":
            let result = try await probe(.test, connectionID: path[1], sourceParams: JSONObject())
            if let failure = result.failure {
                throw EmulatorError.platform(status: 400, code: "FLOW-1301-400", title: "Connection test failed", detail: failure)
            }
            return .json(.ok, .object(JSONObject(["result": .bool(true)])))
        case (.get, 3) where collection == .connections && path[2] == "explore":
            return try await explore(request, connectionID: path[1])
        case (_, 1), (_, 2):
            throw MethodNotAllowed.error(request.method, allowed: path.count == 1 ? ["GET", "POST"] : ["GET", "DELETE"], path: "/\(path[0])")
        default:
            throw Self.noRoute
        }
    }

    static let noRoute = EmulatorError.platform(
        status: 404, code: "FLOW-1000-404", title: "Not found",
        detail: "The emulator serves /connectionSpecs, /flowSpecs, /connections (with /test and /explore), /sourceConnections, /flows and /runs.")

    private func listed(_ collection: VerificationStore.Collection, request: EmulatorRequest) async -> [JSONValue] {
        var items = await store.list(collection)
        // `property=flowId==…` (runs of a flow) and the like: equality on top-level strings.
        for filter in request.queryValues("property") {
            guard let range = filter.firstRange(of: "==") else { continue }
            let field = String(filter[..<range.lowerBound])
            var value = filter[range.upperBound...]
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            items = items.filter { $0[field]?.stringValue == String(value) }
        }
        var presented: [JSONValue] = []
        for item in items { presented.append(await present(item, collection)) }
        return presented
    }

    private func create(_ collection: VerificationStore.Collection, _ request: EmulatorRequest) async throws(EmulatorError) -> EmulatorReply {
        guard let value = try? JSONParser().parse(request.body), case .object(let body) = value else {
            throw EmulatorError.badRequest("The request body must be a JSON object.")
        }
        switch collection {
        case .connections:
            let (spec, authSpec) = try await specAndAuth(of: body)
            let params = body["auth"]?.objectValue?["params"]?.objectValue ?? JSONObject()
            for case .string(let name) in authSpec[JSONPointer("/spec/required")]?.arrayValue ?? [] where params[name] == nil {
                throw EmulatorError.badRequest("auth.params has no '\(name)', which the authSpec '\(authSpec.objectValue?["name"]?.displayText ?? "")' of connection spec \(spec.objectValue?["id"]?.displayText ?? "") requires.", code: "FLOW-1104-400")
            }
        case .sourceConnections:
            guard let base = body["baseConnectionId"]?.stringValue, let connection = await store.item(.connections, id: base) else {
                throw EmulatorError.badRequest("baseConnectionId must name an existing base connection.", code: "FLOW-1104-400")
            }
            if body["connectionSpec"]?.objectValue?["id"] != connection["connectionSpec"]?.objectValue?["id"] {
                throw EmulatorError.badRequest("connectionSpec.id must be the base connection's connection spec.", code: "FLOW-1104-400")
            }
        case .flows:
            try await checkFlow(body)
        case .runs:
            throw MethodNotAllowed.error(request.method, allowed: ["GET"], path: "/runs")
        }
        let stored = await store.create(collection, body, fields: specs.fields, actor: actor)
        if collection == .flows { await startRun(of: stored) }
        var reply = EmulatorReply.json(.created, .object(JSONObject(["id": stored["id"] ?? .null, "etag": stored["etag"] ?? .null])))
        if let id = stored["id"]?.stringValue { reply.headers[.location] = "/data/foundation/flowservice/\(collection.rawValue)/\(id)" }
        return reply
    }

    /// The connection spec a body names and the authSpec entry its `auth.specName` picks.
    private func specAndAuth(of body: JSONObject) async throws(EmulatorError) -> (JSONValue, JSONValue) {
        guard let specID = body["connectionSpec"]?.objectValue?["id"]?.stringValue, let spec = await specs.connectionSpec(id: specID) else {
            throw EmulatorError.badRequest("connectionSpec.id must name an existing connection spec.", code: "FLOW-1104-400")
        }
        let entries = spec.objectValue?["authSpec"]?.arrayValue ?? []
        let name = body["auth"]?.objectValue?["specName"]?.stringValue
        guard let authSpec = entries.first(where: { $0.objectValue?["name"]?.stringValue == name }) else {
            let names = entries.compactMap { $0.objectValue?["name"]?.stringValue }.map { "'\($0)'" }.joined(separator: ", ")
            throw EmulatorError.badRequest("auth.specName \(name.map { "'\($0)'" } ?? "(missing)") is none of connection spec \(specID)'s authSpec names (\(names)).", code: "FLOW-1104-400")
        }
        return (spec, authSpec)
    }

    private func checkFlow(_ body: JSONObject) async throws(EmulatorError) {
        guard let flowSpecID = body["flowSpec"]?.objectValue?["id"]?.stringValue, let flowSpec = await specs.flowSpec(id: flowSpecID) else {
            throw EmulatorError.badRequest("flowSpec.id must name an existing flow spec.", code: "FLOW-1105-400")
        }
        let sources = body["sourceConnectionIds"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !sources.isEmpty else { throw EmulatorError.badRequest("sourceConnectionIds must name a source connection.", code: "FLOW-1105-400") }
        let allowed = flowSpec.objectValue?["sourceConnectionSpecIds"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for id in sources {
            guard let source = await store.item(.sourceConnections, id: id) else {
                throw EmulatorError.badRequest("source connection \(id) does not exist.", code: "FLOW-1105-400")
            }
            let specID = source["connectionSpec"]?.objectValue?["id"]?.stringValue ?? ""
            if !allowed.contains(specID) {
                throw EmulatorError.badRequest("connection spec \(specID) is not in flow spec \(flowSpecID)'s sourceConnectionSpecIds; add it to the flow spec (specsync sync does) before creating a flow.", code: "FLOW-1105-400")
            }
        }
    }

    /// A one-off flow's run: `inProgress` for `runMilliseconds`, then what the source gave.
    private func startRun(of flow: JSONObject) async {
        let flowID = flow["id"] ?? .null
        let run = await store.create(.runs, JSONObject([
            "flowId": flowID, "flowSpec": flow["flowSpec"] ?? .null,
            "metrics": .object(JSONObject(["statusSummary": .object(JSONObject(["status": .string("inProgress")]))])),
        ]), fields: specs.fields, actor: actor)
        guard let runID = run["id"]?.stringValue else { return }
        let duration = await store.settings.runMilliseconds
        let sourceID = flow["sourceConnectionIds"]?.arrayValue?.first?.stringValue ?? ""
        let routes = self
        Task {
            try? await Task.sleep(for: .milliseconds(duration))
            let params = await routes.store.item(.sourceConnections, id: sourceID)?["params"]?.objectValue ?? JSONObject()
            let base = await routes.store.item(.sourceConnections, id: sourceID)?["baseConnectionId"]?.stringValue ?? ""
            let result: SourceProbeResult
            do { result = try await routes.probe(.run, connectionID: base, sourceParams: params) } catch { result = .failed("the base connection \(base) is gone") }
            var summary = JSONObject(["status": .string(result.failure == nil ? "success" : "failed")])
            summary["recordSummary"] = .object(JSONObject(["outputRecordCount": .number(String(result.recordCount))]))
            var changes = JSONObject(["metrics": .object(JSONObject(["statusSummary": .object(summary)]))])
            if let failure = result.failure {
                changes["errors"] = .array([.object(JSONObject(["code": .string("CONNECTOR-1001-500"), "message": .string(failure)]))])
            }
            await routes.store.update(.runs, id: runID, changes)
        }
    }

    private func explore(_ request: EmulatorRequest, connectionID: String) async throws(EmulatorError) -> EmulatorReply {
        guard request.queryValues("objectType").first?.lowercased() == "rest" else {
            throw EmulatorError.badRequest("objectType must be rest for a Self-Serve Sources connection.", code: "FLOW-1103-400")
        }
        var sourceParams = JSONObject()
        if let encoded = request.queryValues("sourceParams").first {
            guard let data = Data(base64Encoded: encoded), let value = try? JSONParser().parse(Array(data)), case .object(let object) = value else {
                throw EmulatorError.badRequest("sourceParams must be the base64 of a JSON object of the source's parameters.", code: "FLOW-1103-400")
            }
            sourceParams = object
        }
        let result = try await probe(.explore, connectionID: connectionID, sourceParams: sourceParams)
        if let failure = result.failure {
            throw EmulatorError.platform(status: 400, code: "FLOW-1302-400", title: "Explore failed", detail: failure)
        }
        return .json(.ok, .object(JSONObject([
            "format": .string("hierarchical"),
            "schema": .object(JSONObject(["columns": .array(Self.columns(of: result.records))])),
            "data": .array(Array(result.records.prefix(10))),
        ])))
    }

    private func probe(_ purpose: SourceProbeRequest.Purpose, connectionID: String, sourceParams: JSONObject) async throws(EmulatorError) -> SourceProbeResult {
        guard let connection = await store.item(.connections, id: connectionID) else { throw EmulatorError.notFound("connections", id: connectionID) }
        let (spec, authSpec) = try await specAndAuth(of: connection)
        let params = connection["auth"]?.objectValue?["params"]?.objectValue ?? JSONObject()
        return await configuration.sourceProbe.probe(SourceProbeRequest(
            purpose: purpose, spec: spec, authSpec: authSpec, authParams: params, sourceParams: sourceParams))
    }

    /// A base connection's secret auth params (the authSpec's `format: password` ones) are not shown back.
    private func present(_ item: JSONObject, _ collection: VerificationStore.Collection) async -> JSONValue {
        guard collection == .connections, case .object(var auth)? = item["auth"], case .object(var params)? = auth["params"] else { return .object(item) }
        let authSpec = try? await specAndAuth(of: item).1
        for key in params.keys {
            let format = authSpec?[JSONPointer(tokens: ["spec", "properties", key, "format"])]?.stringValue
            if format == "password" || ["password", "accessToken", "refreshToken", "clientSecret"].contains(key) { params[key] = .string("****") }
        }
        auth["params"] = .object(params)
        var shown = item
        shown["auth"] = .object(auth)
        return .object(shown)
    }

    /// Explore's columns: each top-level field of the first record and its JSON type.
    static func columns(of records: [JSONValue]) -> [JSONValue] {
        guard case .object(let first)? = records.first else { return [] }
        return first.members.map { key, value in
            let type = switch value {
            case .string: "string"
            case .number: "number"
            case .bool: "boolean"
            case .array: "array"
            case .object: "object"
            case .null: "null"
            }
            return .object(JSONObject(["name": .string(key), "type": .string(type)]))
        }
    }
}
