import Foundation
import SpecSyncTestSupport
import Testing

/// A spec the flow spec lists already (its record lost with the state) is recorded as registered but
/// not reported as "registered": the report says what this run did, and it updated no flow spec.
@Suite("Flow spec registration in the report", .serialized)
struct FlowSpecRegistrationReportTests {
    @Test("after a lost state, specs found by name and already listed in their flow spec are reported as already listed, not registered")
    func alreadyListed() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let environment = ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret]
            let first = try await SpecSyncBinary.execute(["sync", "--once", "--format", "json"], in: fixture.url, environment: environment)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let firstReport = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
            #expect((firstReport["registered"] as? [String])?.count == 3, "\(first.stdout)")
            #expect((firstReport["alreadyListed"] as? [String]) == [], "\(first.stdout)")

            let state = fixture.path + "/.specsync/emulator.state.json"
            try FileManager.default.removeItem(atPath: state)
            let flowSpecPUTs = await emulator.store.statistics().count("PUT", "flowSpec", 200)
            let second = try await SpecSyncBinary.execute(["sync", "--once", "--format", "json"], in: fixture.url, environment: environment)
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
            #expect((report["recorded"] as? [String])?.count == 3, "found by name holding git's body: recorded without a write: \(second.stdout)")
            #expect((report["registered"] as? [String]) == [], "nothing was added to a flow spec: \(second.stdout)")
            #expect((report["alreadyListed"] as? [String])?.count == 3, "\(second.stdout)")
            #expect(await emulator.store.statistics().count("PUT", "flowSpec", 200) == flowSpecPUTs, "no flow spec update")

            try FileManager.default.removeItem(atPath: state)
            let text = try await SpecSyncBinary.execute(["sync", "--once"], in: fixture.url, environment: environment)
            #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
            #expect(!text.stdout.contains("+ registered"), "\(text.stdout)")
            #expect(text.stdout.contains("already listed in its flow spec (recorded)"), "\(text.stdout)")
        }
    }
}
