import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import Testing

@Suite("Control routes")
struct ControlRouteTests {
    @Test func faultsCanBeSetAndResetOverHTTP() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let json = [("Content-Type", "application/json")]
            let set = try await harness.send(
                "POST", "/__emulator/faults", headers: json, body: #"{"throttleRate": 1, "retryAfterSeconds": 3}"#)
            #expect(set.status == 200)
            #expect(set["/throttleRate"] == .number("1"))
            #expect(await harness.emulator.currentFaults.retryAfterSeconds == 3)

            let throttled = try await harness.flow("GET", "/connectionSpecs", token: token)
            #expect(throttled.status == 429)
            #expect(throttled.header("Retry-After") == "3")

            let current = try await harness.send("GET", "/__emulator/faults")
            #expect(current["/retryAfterSeconds"] == .number("3"))

            let invalid = try await harness.send("POST", "/__emulator/faults", headers: json, body: #"{"dropRate": 2}"#)
            #expect(invalid.status == 400)
            #expect(invalid["/report/detailed-message"]?.stringValue?.contains("dropRate") == true)
            let garbage = try await harness.send("POST", "/__emulator/faults", headers: json, body: "nope")
            #expect(garbage.status == 400)

            let reset = try await harness.send("POST", "/__emulator/reset")
            #expect(reset.status == 204)
            #expect(await harness.emulator.currentFaults == FaultPlan())
            #expect(try await harness.flow("GET", "/connectionSpecs", token: token).status == 200)
        }
    }

    @Test func resetForgetsSpecsAndStatisticsButNotTokens() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let id = try await harness.create(name: "Gone after reset", token: token)
            let listed = try await harness.send("GET", "/__emulator/connectionSpecs")
            #expect(listed.status == 200)
            #expect(listed["/items/0/id"] == .string(id))
            #expect(listed["/items/0/createdBy"] == .string("specsync-emulator@AdobeID"))

            #expect(try await harness.send("POST", "/__emulator/reset").status == 204)
            #expect(await harness.emulator.store.connectionSpecs().isEmpty)
            #expect(await harness.emulator.store.statistics().requests.isEmpty)
            #expect(await harness.emulator.store.flowSpec(id: "6499120c-0b15-42dc-936e-847ea3c24d72") != nil)
            let after = try await harness.flow("GET", "/connectionSpecs/\(id)", token: token)
            #expect(after.status == 404)
            #expect(try await harness.send("GET", "/__emulator/connectionSpecs")["/items"] == .array([]))
            #expect(try await harness.send("GET", "/__emulator/health").status == 200)
            #expect(try await harness.send("GET", "/__emulator/nothing").status == 404)
        }
    }

    @Test func unknownPathsArePlatform404s() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let outside = try await harness.send("GET", "/nothing/here")
            #expect(outside.status == 404)
            #expect(outside["/status"] == .number("404"))
            // Target connections are not emulated (the verification chain needs none).
            let inside = try await harness.flow("GET", "/targetConnections", token: token)
            #expect(inside.status == 404)
            #expect(inside["/report/request-id"]?.stringValue == inside.requestID)
            // Behind the gateway, an unknown path still needs credentials first.
            let unauthenticated = try await harness.flow("GET", "/targetConnections", token: "bad")
            #expect(unauthenticated.status == 401)
        }
    }
}
