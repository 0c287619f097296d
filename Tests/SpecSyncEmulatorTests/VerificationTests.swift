import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing
import SpecSyncJSON

/// The verification chain's endpoints over real HTTP, the spec run by `RuntimeSourceProbe` (the
/// source runtime of preview) against the emulator's sample third-party API on loopback.
@Suite("Verification endpoints", .serialized)
struct VerificationTests {
    static let acme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/examples/Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json")

    static func connection(specID: String, password: String) -> String {
        #"{"name": "verify", "auth": {"specName": "Basic Authentication", "params": {"domain": "acme", "username": "verify", "password": "\#(password)"}}, "connectionSpec": {"id": "\#(specID)", "version": "1.0"}}"#
    }

    /// The sample API (Acme user "verify", password "pw") and an emulator whose probe runs specs against it.
    static func withSampleSource(_ body: @escaping @Sendable (EmulatorHarness) async throws -> Void) async throws {
        var sample = SampleAPIConfiguration()
        sample.acmeUsername = "verify"
        sample.acmePassword = "pw"
        try await withSampleAPI(sample) { server in
            let origin = try await server.baseURL
            try await EmulatorHarness.run({ $0.sourceProbe = RuntimeSourceProbe(origin: origin) }, body)
        }
    }

    @Test("connection, test, explore, source connection, flow (refused until the spec is in the flow spec), awaited run, deletes")
    func chain() async throws {
        try await Self.withSampleSource { harness in
            let token = try await harness.token()
            let created = try await harness.flow("POST", "/connectionSpecs", body: try String(contentsOf: Self.acme, encoding: .utf8), token: token)
            let specID = try #require(created["/id"]?.stringValue)

            let missing = try await harness.flow("POST", "/connections", body: #"{"name": "x", "auth": {"specName": "Basic Authentication", "params": {"domain": "acme"}}, "connectionSpec": {"id": "\#(specID)", "version": "1.0"}}"#, token: token)
            #expect(missing.status == 400)
            #expect(missing["/report/detailed-message"]?.stringValue?.contains("'username'") == true, "\(missing.text)")
            let wrongName = try await harness.flow("POST", "/connections", body: Self.connection(specID: specID, password: "pw").replacingOccurrences(of: "Basic Authentication", with: "Basic"), token: token)
            #expect(wrongName["/report/detailed-message"]?.stringValue?.contains("'Basic Authentication'") == true, "\(wrongName.text)")

            let connection = try await harness.flow("POST", "/connections", body: Self.connection(specID: specID, password: "pw"), token: token)
            #expect(connection.status == 201, "\(connection.text)")
            let connectionID = try #require(connection["/id"]?.stringValue)
            let read = try await harness.flow("GET", "/connections/\(connectionID)", token: token)
            #expect(read["/items/0/auth/params/password"] == .string("****"), "secrets are not shown back")
            let test = try await harness.flow("GET", "/connections/\(connectionID)/test", token: token)
            #expect(test.status == 200 && test["/result"] == .bool(true), "\(test.text)")
            let explore = try await harness.flow("GET", "/connections/\(connectionID)/explore?objectType=rest&object=json", token: token)
            #expect(explore["/data"]?.arrayValue?.count == 10, "explore shows the first records of page 1: \(explore.text)")
            #expect(explore["/schema/columns/0/name"] == .string("id"))

            let sourceConnection = try await harness.flow("POST", "/sourceConnections", body: #"{"name": "s", "baseConnectionId": "\#(connectionID)", "connectionSpec": {"id": "\#(specID)", "version": "1.0"}, "data": {"format": "json"}, "params": {}}"#, token: token)
            let sourceID = try #require(sourceConnection["/id"]?.stringValue)
            let flowBody = #"{"name": "f", "flowSpec": {"id": "6499120c-0b15-42dc-936e-847ea3c24d72", "version": "1.0"}, "sourceConnectionIds": ["\#(sourceID)"]}"#
            let unregistered = try await harness.flow("POST", "/flows", body: flowBody, token: token)
            #expect(unregistered.status == 400)
            #expect(unregistered["/report/detailed-message"]?.stringValue?.contains("sourceConnectionSpecIds") == true)

            var flowSpec = try #require(await harness.emulator.store.flowSpec(id: "6499120c-0b15-42dc-936e-847ea3c24d72")?.objectValue)
            flowSpec["sourceConnectionSpecIds"] = .array((flowSpec["sourceConnectionSpecIds"]?.arrayValue ?? []) + [.string(specID)])
            for field in ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId", "sandboxName", "imsOrgId", "etag"] { flowSpec[field] = nil }
            let put = try await harness.flow("PUT", "/flowSpecs/6499120c-0b15-42dc-936e-847ea3c24d72", body: JSONValue.object(flowSpec).prettyPrinted(), token: token)
            #expect(put.status == 200, "\(put.text)")

            let flow = try await harness.flow("POST", "/flows", body: flowBody, token: token)
            #expect(flow.status == 201, "\(flow.text)")
            let flowID = try #require(flow["/id"]?.stringValue)
            var status = "inProgress"
            let deadline = Date().addingTimeInterval(120)
            while status == "inProgress" && Date() < deadline {
                let runs = try await harness.flow("GET", "/runs?property=flowId==\(flowID)", token: token)
                status = runs["/items/0/metrics/statusSummary/status"]?.stringValue ?? "none"
                if status == "success" { #expect(runs["/items/0/metrics/statusSummary/recordSummary/outputRecordCount"] == .number("230"), "every page's orders: \(runs.text)") }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status == "success")

            let counts = try await harness.send("GET", "/__emulator/verification")
            #expect(counts["/counts/connections"] == .number("1") && counts["/counts/flows"] == .number("1"), "\(counts.text)")
            for (collection, id) in [("flows", flowID), ("sourceConnections", sourceID), ("connections", connectionID)] {
                #expect(try await harness.flow("DELETE", "/\(collection)/\(id)", token: token).status == 204)
                #expect(try await harness.flow("DELETE", "/\(collection)/\(id)", token: token).status == 404)
            }
            let after = try await harness.send("GET", "/__emulator/verification")
            #expect(after["/counts/connections"] == .number("0") && after["/counts/flows"] == .number("0"), "\(after.text)")
        }
    }

    @Test("a wrong password fails the test; a wrong path or contentPath fails explore, a repeating cursor the run, with the runtime's words")
    func brokenSpecs() async throws {
        try await Self.withSampleSource { harness in
            let token = try await harness.token()
            let spec = try String(contentsOf: Self.acme, encoding: .utf8)
            let good = try #require(try await harness.flow("POST", "/connectionSpecs", body: spec, token: token)["/id"]?.stringValue)
            let wrong = try #require(try await harness.flow("POST", "/connections", body: Self.connection(specID: good, password: "nope"), token: token)["/id"]?.stringValue)
            let test = try await harness.flow("GET", "/connections/\(wrong)/test", token: token)
            #expect(test.status == 400)
            #expect(test["/report/detailed-message"]?.stringValue?.contains("/v2/orders answered 401") == true, "\(test.text)")

            let broken = spec.replacingOccurrences(of: "\"/v2/orders\"", with: "\"/v2/order\"").replacingOccurrences(of: "Acme Orders source", with: "Broken")
            let brokenID = try #require(try await harness.flow("POST", "/connectionSpecs", body: broken, token: token)["/id"]?.stringValue)
            let connection = try #require(try await harness.flow("POST", "/connections", body: Self.connection(specID: brokenID, password: "pw"), token: token)["/id"]?.stringValue)
            let explore = try await harness.flow("GET", "/connections/\(connection)/explore?objectType=rest&object=json", token: token)
            #expect(explore.status == 400)
            #expect(explore["/report/detailed-message"]?.stringValue?.contains("/v2/order answered 404") == true, "\(explore.text)")

            let wrongPath = spec.replacingOccurrences(of: "\"$.orders\"", with: "\"$.items\"").replacingOccurrences(of: "Acme Orders source", with: "Wrong content path")
            let pathID = try #require(try await harness.flow("POST", "/connectionSpecs", body: wrongPath, token: token)["/id"]?.stringValue)
            let other = try #require(try await harness.flow("POST", "/connections", body: Self.connection(specID: pathID, password: "pw"), token: token)["/id"]?.stringValue)
            let empty = try await harness.flow("GET", "/connections/\(other)/explore?objectType=rest&object=json", token: token)
            #expect(empty.status == 400)
            #expect(empty["/report/detailed-message"]?.stringValue?.contains("#/sourceSpec/attributes/contentPath/path: contentPath $.items matched nothing on page 1; the response's top-level keys are orders, next") == true, "\(empty.text)")

            // The first page is fine: only a run, which follows the pages, sees the cursor come back.
            let stuck = spec.replacingOccurrences(of: "\"/v2/orders\"", with: "\"/v2/orders-stuck\"").replacingOccurrences(of: "Acme Orders source", with: "Stuck")
            let stuckID = try #require(try await harness.flow("POST", "/connectionSpecs", body: stuck, token: token)["/id"]?.stringValue)
            let stuckConnection = try #require(try await harness.flow("POST", "/connections", body: Self.connection(specID: stuckID, password: "pw"), token: token)["/id"]?.stringValue)
            #expect(try await harness.flow("GET", "/connections/\(stuckConnection)/explore?objectType=rest&object=json", token: token).status == 200)
            let sourceConnection = try await harness.flow("POST", "/sourceConnections", body: #"{"name": "s", "baseConnectionId": "\#(stuckConnection)", "connectionSpec": {"id": "\#(stuckID)", "version": "1.0"}, "data": {"format": "json"}, "params": {}}"#, token: token)
            let sourceID = try #require(sourceConnection["/id"]?.stringValue)
            var flowSpec = try #require(await harness.emulator.store.flowSpec(id: "6499120c-0b15-42dc-936e-847ea3c24d72")?.objectValue)
            flowSpec["sourceConnectionSpecIds"] = .array((flowSpec["sourceConnectionSpecIds"]?.arrayValue ?? []) + [.string(stuckID)])
            for field in ["id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId", "sandboxName", "imsOrgId", "etag"] { flowSpec[field] = nil }
            #expect(try await harness.flow("PUT", "/flowSpecs/6499120c-0b15-42dc-936e-847ea3c24d72", body: JSONValue.object(flowSpec).prettyPrinted(), token: token).status == 200)
            let flow = try await harness.flow("POST", "/flows", body: #"{"name": "f", "flowSpec": {"id": "6499120c-0b15-42dc-936e-847ea3c24d72", "version": "1.0"}, "sourceConnectionIds": ["\#(sourceID)"]}"#, token: token)
            let flowID = try #require(flow["/id"]?.stringValue, "\(flow.text)")
            var run = try await harness.flow("GET", "/runs?property=flowId==\(flowID)", token: token)
            let deadline = Date().addingTimeInterval(120)
            while run["/items/0/metrics/statusSummary/status"]?.stringValue == "inProgress" && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
                run = try await harness.flow("GET", "/runs?property=flowId==\(flowID)", token: token)
            }
            #expect(run["/items/0/metrics/statusSummary/status"] == .string("failed"), "\(run.text)")
            #expect(run["/items/0/errors/0/message"]?.stringValue?.contains("continuation token 'c200', which was already fetched: the CONTINUATION_TOKEN pagination never ends") == true, "\(run.text)")
        }
    }
}
