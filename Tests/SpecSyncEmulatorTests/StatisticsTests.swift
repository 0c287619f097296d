import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

@Suite("Statistics")
struct StatisticsTests {
    @Test func countsEveryRouteAndOutcome() async throws {
        try await EmulatorHarness.run { harness in
            let token = try await harness.token()
            _ = try await harness.tokenReply(secret: "wrong")
            let id = try await harness.create(name: "Counted", token: token)
            #expect(try await harness.flow("PUT", "/connectionSpecs/\(id)", body: SampleBundle.spec(name: "Counted"), token: token).status == 200)
            #expect(try await harness.flow("GET", "/connectionSpecs/\(id)", token: token).status == 200)
            #expect(try await harness.flow("GET", "/connectionSpecs/missing", token: token).status == 404)
            #expect(try await harness.flow("POST", "/connectionSpecs", body: "{}", token: token).status == 400)
            #expect(try await harness.flow("GET", "/connectionSpecs", token: token).status == 200)
            #expect(try await harness.flow("GET", "/connectionSpecs", token: "bad").status == 401)

            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.requests == [
                "POST token 200": 1,
                "POST token 401": 1,
                "POST connectionSpecs 201": 1,
                "PUT connectionSpec 200": 1,
                "GET connectionSpec 200": 1,
                "GET connectionSpec 404": 1,
                "POST connectionSpecs 400": 1,
                "GET connectionSpecs 200": 1,
                "GET connectionSpecs 401": 1,
            ])
            #expect(statistics.tokensIssued == 1)
            #expect(statistics.writes == 2)
            #expect(statistics.droppedAfterApplying == 0)
            #expect(statistics.maxConcurrentRequests == 1)
            #expect(statistics.requestStartsPerSecond.reduce(0) { $0 + $1.count } == 7)
            #expect(statistics.busiestSecond >= 1)
            #expect(statistics.total(kind: "connectionSpec") == 3)
            #expect(statistics.total(method: "POST") == 4)

            // The control route reports the same numbers and is not counted itself.
            let reply = try await harness.send("GET", "/__emulator/statistics")
            #expect(reply.status == 200)
            #expect(try JSONDecoderShim.statistics(reply.bytes) == statistics)
            #expect(await harness.emulator.store.statistics() == statistics)
        }
    }
}
