import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

@Suite("Gateway headers")
struct GatewayTests {
    @Test func missingOrUnknownTokenIs401GatewayShape() async throws {
        try await EmulatorHarness.run { harness in
            for overrides: [String: String?] in [["Authorization": nil], ["Authorization": "Bearer not-a-token"], ["Authorization": "Basic abc"]] {
                let reply = try await harness.flow("GET", "/connectionSpecs", token: "", overrides: overrides)
                #expect(reply.status == 401)
                #expect(try reply.json == JSONParser().parse(#"{"error_code":"401013","message":"Oauth token is not valid"}"#))
                #expect(reply.requestID?.isEmpty == false)
            }
        }
    }

    @Test func wrongApiKeyAndOrgAre403GatewayShape() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let missingKey = try await harness.flow("GET", "/connectionSpecs", token: token, overrides: ["x-api-key": nil])
            #expect(missingKey.status == 403)
            #expect(missingKey["/error_code"] == .string("403003"))
            #expect(missingKey["/message"] == .string("Api Key is invalid"))

            let wrongKey = try await harness.flow("GET", "/connectionSpecs", token: token, overrides: ["x-api-key": "other"])
            #expect(wrongKey.status == 403)
            #expect(wrongKey["/error_code"] == .string("403003"))

            let wrongOrg = try await harness.flow(
                "GET", "/connectionSpecs", token: token, overrides: ["x-gw-ims-org-id": "OTHER@AdobeOrg"])
            #expect(wrongOrg.status == 403)
            #expect(wrongOrg["/error_code"] == .string("403025"))
            #expect(wrongOrg["/message"] == .string("Profile is not valid"))
        }
    }

    @Test func missingOrWrongSandboxIs400PlatformShape() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            for sandbox: String? in [nil, "dev"] {
                var overrides: [String: String?] = [:]
                overrides.updateValue(sandbox, forKey: "x-sandbox-name")  // nil removes the header
                let reply = try await harness.flow("GET", "/connectionSpecs", token: token, overrides: overrides)
                #expect(reply.status == 400)
                #expect(reply["/status"] == .number("400"))
                #expect(reply["/type"]?.stringValue?.hasPrefix("https://ns.adobe.com/aep/errors/FLOW-") == true)
                #expect(reply["/title"]?.stringValue?.isEmpty == false)
                #expect(reply["/report/detailed-message"]?.stringValue?.contains("andbox") == true)
                #expect(reply["/report/request-id"]?.stringValue == reply.requestID)
            }
        }
    }

    @Test func writesWithoutJSONContentTypeAre415() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            let reply = try await harness.flow(
                "POST", "/connectionSpecs", body: SampleBundle.spec(name: "x"), token: token,
                overrides: ["Content-Type": "text/plain"])
            #expect(reply.status == 415)
            #expect(reply["/status"] == .number("415"))
            #expect(reply["/report/request-id"]?.stringValue == reply.requestID)
            let charset = try await harness.flow(
                "POST", "/connectionSpecs", body: SampleBundle.spec(name: "x"), token: token,
                overrides: ["Content-Type": "application/json; charset=utf-8"])
            #expect(charset.status == 201)
            #expect(await harness.emulator.store.connectionSpecs().count == 1)
        }
    }
}
