import Foundation
import SpecSyncHTTPEndpoints
import Testing

@Suite("Health endpoints")
struct HealthEndpointTests {
    @Test func healthzAnswersWhileServing() async throws {
        try await StatusServerHarness.run { harness in
            let reply = try await harness.send("GET", "/healthz")
            #expect(reply.status == 200)
            #expect(reply.text == #"{"status":"ok"}"#)
            #expect(reply.header("content-type")?.hasPrefix("application/json") == true)
        }
    }

    @Test func readyzIs503UntilTheFirstSuccessfulPass() async throws {
        try await StatusServerHarness.run { harness in
            let before = try await harness.send("GET", "/readyz")
            #expect(before.status == 503)
            #expect(try Self.snapshot(before).ready == false)

            await harness.health.setCommit("0123456789abcdef0123456789abcdef01234567")
            await harness.health.markPassCompleted(success: false, at: Date(timeIntervalSince1970: 1_000))
            let afterFailure = try await harness.send("GET", "/readyz")
            #expect(afterFailure.status == 503)
            let failed = try Self.snapshot(afterFailure)
            #expect(failed.passes == 1)
            #expect(failed.lastSuccessAt == nil)
            #expect(failed.lastPassAt == Date(timeIntervalSince1970: 1_000))

            await harness.health.markPassCompleted(success: true, at: Date(timeIntervalSince1970: 2_000))
            let ready = try await harness.send("GET", "/readyz")
            #expect(ready.status == 200)
            let snapshot = try Self.snapshot(ready)
            #expect(snapshot.ready)
            #expect(snapshot.passes == 2)
            #expect(snapshot.lastSuccessAt == Date(timeIntervalSince1970: 2_000))
            #expect(snapshot.lastCommit == "0123456789abcdef0123456789abcdef01234567")
        }
    }

    @Test func anythingElseIs404() async throws {
        try await StatusServerHarness.run { harness in
            for (method, path) in [("GET", "/"), ("GET", "/healthz/x"), ("POST", "/healthz"), ("DELETE", "/metrics"),
                                   ("GET", "/hooks/git"), ("GET", "/metrics/")] {
                let reply = try await harness.send(method, path)
                #expect(reply.status == 404, "\(method) \(path)")
            }
        }
    }

    static func snapshot(_ reply: Reply) throws -> HealthSnapshot {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(HealthSnapshot.self, from: Data(reply.bytes))
    }
}
