import Foundation
import SpecSyncHTTPEndpoints
import Testing

@Suite("HealthState")
struct HealthStateTests {
    @Test("ready once a pass ran, unready after a pass that could not run, ready again after the next that does")
    func readyWhileTheLastPassRan() async {
        let health = HealthState()
        #expect(await !health.isReady)
        await health.markPassCompleted(success: false, at: Date(timeIntervalSince1970: 100))
        #expect(await !health.isReady)
        await health.markPassCompleted(success: true, at: Date(timeIntervalSince1970: 200))
        #expect(await health.isReady)
        await health.markPassCompleted(success: false, at: Date(timeIntervalSince1970: 300))
        #expect(await !health.isReady)

        let snapshot = await health.snapshot()
        #expect(snapshot.passes == 3)
        #expect(snapshot.lastPassAt == Date(timeIntervalSince1970: 300))
        #expect(snapshot.lastSuccessAt == Date(timeIntervalSince1970: 200))
        await health.markPassCompleted(success: true, at: Date(timeIntervalSince1970: 400))
        #expect(await health.isReady)
    }

    @Test func snapshotJSONKeepsItsShapeBeforeTheFirstPass() throws {
        let empty = HealthSnapshot(ready: false, lastPassAt: nil, lastSuccessAt: nil, lastCommit: nil, passes: 0)
        #expect(
            String(decoding: empty.jsonBytes(), as: UTF8.self)
                == #"{"lastCommit":null,"lastPassAt":null,"lastSuccessAt":null,"passes":0,"ready":false,"role":null}"#)

        let full = HealthSnapshot(
            ready: true, lastPassAt: Date(timeIntervalSince1970: 1_700_000_000),
            lastSuccessAt: Date(timeIntervalSince1970: 1_700_000_000), lastCommit: "abc123", passes: 1, role: .leader)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(HealthSnapshot.self, from: Data(full.jsonBytes())) == full)
        #expect(String(decoding: full.jsonBytes(), as: UTF8.self).contains(#""lastPassAt":"2023-11-14T22:13:20Z""#))
        #expect(String(decoding: full.jsonBytes(), as: UTF8.self).contains(#""role":"leader""#))
    }

    @Test("a standby is ready at once; a leader keeps the readiness it had until its own passes say otherwise")
    func standbyIsReady() async {
        let health = HealthState()
        #expect(await !health.isReady)
        await health.setRole(.standby)
        #expect(await health.isReady)
        #expect(await health.snapshot().role == .standby)
        await health.setRole(.leader)
        #expect(await health.isReady)
        #expect(await health.snapshot().role == .leader)
        await health.markPassCompleted(success: false, at: Date(timeIntervalSince1970: 100))
        #expect(await !health.isReady)
    }
}
