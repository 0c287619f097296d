import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import Testing

@Suite("IMS token endpoint")
struct IMSTokenTests {
    @Test func rightCredentialsGetABearerTokenWithLifetimeInSeconds() async throws {
        try await EmulatorHarness.run { harness in
            let reply = try await harness.tokenReply()
            #expect(reply.status == 200)
            #expect(reply["/token_type"] == .string("bearer"))
            #expect(reply["/expires_in"] == .number("86400"))
            let token = try #require(reply["/access_token"]?.stringValue)
            #expect(token.count > 32)
            #expect(reply.requestID?.isEmpty == false)

            let second = try await harness.token()
            #expect(second != token)
            #expect(await harness.emulator.store.statistics().tokensIssued == 2)
        }
    }

    @Test func wrongSecretIsInvalidClient() async throws {
        try await EmulatorHarness.run { harness in
            let reply = try await harness.tokenReply(secret: "nope")
            #expect(reply.status == 401)
            #expect(try reply.json == JSONParser().parse(
                #"{"error":"invalid_client","error_description":"invalid client_id or client_secret"}"#))
            let wrongClient = try await harness.tokenReply(clientID: "someone-else")
            #expect(wrongClient.status == 401)
            #expect(wrongClient["/error"] == .string("invalid_client"))
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.tokensIssued == 0)
            #expect(statistics.count("POST", "token", 401) == 2)
        }
    }

    @Test func wrongGrantTypeIsUnsupported() async throws {
        try await EmulatorHarness.run { harness in
            let reply = try await harness.tokenReply(grantType: "authorization_code")
            #expect(reply.status == 400)
            #expect(reply["/error"] == .string("unsupported_grant_type"))
            #expect(await harness.emulator.store.statistics().tokensIssued == 0)
        }
    }

    @Test func tokenStopsWorkingAfterItsLifetime() async throws {
        try await EmulatorHarness.run({ $0.tokenLifetime = .seconds(1) }) { harness in
            // A machine too busy to send the first request within the token's second proves
            // nothing either way: take another token, for up to two minutes (a suite of 500 tests
            // on two cores can keep the emulator's handlers waiting that long at its start).
            var token = ""
            var checkedFresh = false
            let firstTry = ContinuousClock.now
            for attempt in 1... {
                if attempt > 5 && ContinuousClock.now - firstTry > .seconds(120) { break }
                let issued = ContinuousClock.now
                let reply = try await harness.tokenReply()
                #expect(reply["/expires_in"] == .number("1"))
                token = try #require(reply["/access_token"]?.stringValue)
                let fresh = try await harness.flow("GET", "/connectionSpecs", token: token)
                guard ContinuousClock.now - issued < .milliseconds(900) else { continue }
                #expect(fresh.status == 200)
                checkedFresh = true
                break
            }
            #expect(checkedFresh, "every token for two minutes was a second old before its first use")
            try await Task.sleep(for: .milliseconds(1100))
            let expired = try await harness.flow("GET", "/connectionSpecs", token: token)
            #expect(expired.status == 401)
            #expect(expired["/error_code"] == .string("401013"))
            #expect(expired["/message"] == .string("Oauth token is not valid"))
        }
    }
}
