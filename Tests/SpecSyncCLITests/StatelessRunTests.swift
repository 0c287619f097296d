import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// `sync --once` on a runner that keeps nothing between runs (a fresh CI job): the remote is the
/// truth when a record is missing. What is in sync is recorded without a write, a change this client
/// made is carried on, a change someone else made is a conflict.
@Suite("sync --once without a state", .serialized)
struct StatelessRunTests {
    static let secret = "emulator-secret-\(UUID().uuidString)"

    func specsync(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": Self.secret])
    }

    func forgetState(_ fixture: GitFixture) throws {
        try? FileManager.default.removeItem(at: fixture.url.appendingPathComponent(".specsync"))
    }

    @Test("the examples synced, the state deleted, synced again 20 times: no write after the first run, one listing a run, every record filled")
    func twentyFreshRunners() async throws {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = Self.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await SyncCommandTests.repository(for: emulator, configuration: configuration)
            defer { fixture.cleanUp() }
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let writes = await emulator.store.statistics().writes
            for run in 1...20 {
                try forgetState(fixture)
                let before = await emulator.store.statistics()
                let result = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
                #expect(result.status == 0, "run \(run): \(result.stdout)\(result.stderr)")
                let after = await emulator.store.statistics()
                #expect(after.writes == writes, "run \(run) wrote")
                #expect(after.total(method: "GET", kind: "connectionSpecs") - before.total(method: "GET", kind: "connectionSpecs") == 1, "one listing")
                #expect(after.total(method: "GET", kind: "connectionSpec") == before.total(method: "GET", kind: "connectionSpec"), "no GET per spec")
                #expect(DecisionMap.read(result.stdout, key: "decisions").values.allSatisfy { $0 == "record" })
            }
            let status = try await specsync(["state", "list", "--format", "json"], in: fixture)
            let records = (try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8))) as? [[String: Any]] ?? []
            #expect(records.count == 3 && records.allSatisfy { $0["status"] as? String == "in sync" && $0["id"] is String }, "\(status.stdout)")
        }
    }

    @Test("no state: a bundle changed in git whose remote this client wrote last is one PUT; a spec edited by another client is a conflict naming both")
    func changesWithoutAState() async throws {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = Self.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await SyncCommandTests.repository(for: emulator, configuration: configuration)
            defer { fixture.cleanUp() }
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            try forgetState(fixture)

            let path = "Sources/acme-orders/Artifacts/acme-orders-label.txt"
            try fixture.write("ACME orders, renamed\n", to: path)
            try fixture.commitAll("relabel acme-orders")
            let edited = try #require(await emulator.store.connectionSpecs().first { $0[JSONPointer("/name")]?.stringValue?.contains("Members") == true })
            let editedID = try #require(edited[JSONPointer("/id")]?.stringValue)
            try await emulator.store.editOutOfBand(id: editedID, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            let before = await emulator.store.statistics()

            let result = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
            let decisions = DecisionMap.read(result.stdout, key: "decisions")
            #expect(decisions["acme-orders"] == "adopt")
            #expect(decisions["mailchimp-campaigns"] == "record")
            #expect(decisions["mailchimp-members"] == "conflict")
            let after = await emulator.store.statistics()
            #expect(after.total(method: "PUT", kind: "connectionSpec") - before.total(method: "PUT", kind: "connectionSpec") == 1, "exactly one PUT")
            #expect(after.count("POST", "connectionSpecs", 201) == before.count("POST", "connectionSpecs", 201))
            #expect(result.stdout.contains("last written by client") && result.stdout.contains("not by this client (\(configuration.clientID))"), "\(result.stdout)")
            #expect(await emulator.store.connectionSpec(id: editedID)?[JSONPointer("/description")] == .string("edited in the console"))
        }
    }
}
