import AsyncHTTPClient
import SpecSyncEmulator
import SpecSyncJSON
import Testing

/// The router's edges, where Hummingbird's defaults differ from the APIs the emulator stands in
/// for: a known path with an undocumented method, a path below or beside every resource, and
/// what each of those counts as.
@Suite("Routing")
struct RoutingTests {
    @Test func aWrongMethodIsEachAPIsOwn405AfterItsChecks() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            // Flow Service: the gateway first, then the platform's 405 naming what is allowed.
            #expect(try await harness.flow("PATCH", "/connectionSpecs/x", token: "bad").status == 401)
            let patch = try await harness.flow("PATCH", "/connectionSpecs/x", token: token)
            #expect(patch.status == 405)
            #expect(patch.header("Allow") == "GET, PUT")
            #expect(patch["/report/request-id"]?.stringValue == patch.requestID)
            #expect(try await harness.flow("DELETE", "/flowSpecs", token: token).header("Allow") == "GET")
            // Flxpoint: the token first, then a 405 without a body.
            #expect(try await harness.flxpoint("PATCH", "/connections", token: nil).status == 401)
            let flxpoint = try await harness.flxpoint("PATCH", "/connections")
            #expect(flxpoint.status == 405)
            #expect(flxpoint.header("Allow") == "GET, POST")
            // Versori: key, organisation, then method.
            #expect(try await harness.versori("PATCH", "/c1", organisation: "elsewhere").status == 404)
            let versori = try await harness.versori("PATCH", "/c1")
            #expect(versori.status == 405)
            #expect(versori.header("Allow") == "GET, PUT, DELETE")
            // IMS answers OAuth's shape; control routes have no 405, only their own 404.
            #expect(try await harness.send("GET", "/ims/token/v3")["/error"]?.stringValue == "invalid_request")
            let control = try await harness.send("DELETE", "/__emulator/health")
            #expect(control.status == 404)
            #expect(control["/type"]?.stringValue?.hasSuffix("EMU-0002-404") == true)

            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.count("PATCH", "connectionSpec", 401) == 1)
            #expect(statistics.count("PATCH", "connectionSpec", 405) == 1)
            #expect(statistics.count("PATCH", "flxpointConnections", 405) == 1)
            #expect(statistics.count("PATCH", "versoriConnection", 404) == 1)
            #expect(statistics.count("GET", "token", 405) == 1)
            #expect(statistics.total(method: "DELETE", kind: "control") == 0)
        }
    }

    @Test func pathsBelowOrBesideEveryResourceGetTheirAPIs404BehindItsChecks() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let deeper = "/connectionSpecs/x/y"
            #expect(try await harness.flow("GET", deeper, token: "bad").status == 401)
            let inside = try await harness.flow("GET", deeper, token: token)
            #expect(inside.status == 404)
            #expect(inside["/type"]?.stringValue?.hasSuffix("FLOW-1000-404") == true)
            #expect(try await harness.flow("GET", "/flows/x/y", token: token).status == 404)
            #expect(try await harness.flxpoint("GET", "/connections/1/more", token: nil).status == 401)
            #expect(try await harness.flxpoint("GET", "/connections/1/more").status == 404)
            #expect(try await harness.send("GET", "/versori/api/connect/v1/nothing").status == 401)
            // A path that only leads to resources is such a path too, not the router's empty 404.
            let connectors = "/versori/api/connect/v1/o/\(harness.configuration.versoriOrganisation)/connectors"
            #expect(try await harness.send("GET", connectors).status == 401)
            let prefix = try await harness.send("GET", connectors, headers: [("Authorization", "Bearer versori-emulator-key")])
            #expect(prefix.status == 404)
            #expect(prefix.text.contains("no API at"))
            #expect(try await harness.send("GET", "/__emulator/versoriConnections")["/type"]?.stringValue?.hasSuffix("EMU-0002-404") == true)

            // Outside every API: the platform's 404, still with a request id, counted as unknown.
            let outside = try await harness.send("GET", "/data/foundation", headers: [("x-request-id", "r-1")])
            #expect(outside.status == 404)
            #expect(outside.requestID == "r-1")
            #expect(outside["/report/request-id"]?.stringValue == "r-1")
            #expect(try await harness.send("HEAD", "/").status == 404)

            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.count("GET", "unknown", 401) == 4)
            #expect(statistics.count("GET", "unknown", 404) == 5)
            #expect(statistics.count("HEAD", "unknown", 404) == 1)
        }
    }

    @Test func percentEncodedIdsAreDecodedAsBefore() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let id = try await harness.create(name: "encoded", token: token)
            // The first character as %XX: the router matches the raw path, the route sees it decoded.
            let first = try #require(id.utf8.first)
            let escaped = "%" + String(first, radix: 16, uppercase: true) + id.dropFirst()
            let encoded = try await harness.flow("GET", "/connectionSpecs/\(escaped)", token: token)
            #expect(encoded.status == 200)
            #expect(encoded["/items/0/id"]?.stringValue == id)
        }
    }

    /// The sample API: GET only (refused before credentials), each vendor's own 401 and 404.
    @Test func theSampleAPIsMethodsCredentialsAndUnknownPaths() async throws {
        try await withSampleAPI { server in
            let client = HTTPClient.shared
            let base = try await server.baseURL
            func send(_ method: String, _ path: String, basic: String? = nil) async throws -> (Int, JSONValue?) {
                var request = HTTPClientRequest(url: base + path)
                request.method = .init(rawValue: method)
                if let basic { request.headers.add(name: "Authorization", value: "Basic " + basic) }
                let response = try await client.execute(request, timeout: .seconds(120))
                let body = try await response.body.collect(upTo: 1 << 20)
                return (Int(response.status.code), try? JSONParser().parse(Array(body.readableBytesView)))
            }
            let acme = "YWNtZS1kZW1vOmFjbWUtZGVtby1wYXNzd29yZA=="  // acme-demo:acme-demo-password
            #expect(try await send("DELETE", "/v2/orders").0 == 405)
            #expect(try await send("GET", "/v2/orders").0 == 401)
            #expect(try await send("GET", "/v2/orders", basic: acme).0 == 200)
            let unknown = try await send("GET", "/v2/nothing/here", basic: acme)
            #expect(unknown.0 == 404)
            #expect(unknown.1?[JSONPointer("/error")]?.stringValue == "not_found")
            #expect(try await send("GET", "/v2/orders/search", basic: acme).0 == 404)
            #expect(try await send("GET", "/3.0/nothing").1?[JSONPointer("/title")]?.stringValue == "API Key Invalid")
            #expect(try await send("GET", "/3.0/lists/demo-list").1?[JSONPointer("/title")]?.stringValue == "API Key Invalid")
            let outside = try await send("GET", "/elsewhere")
            #expect(outside.0 == 404)
            #expect(outside.1?[JSONPointer("/title")]?.stringValue == "Resource Not Found")
            #expect(try await send("PUT", "/elsewhere").0 == 405)
        }
    }
}
