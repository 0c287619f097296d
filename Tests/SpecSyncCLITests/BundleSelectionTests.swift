import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// `--bundle NAME` for `plan` and `sync --once`, against the emulator: only those bundles are
/// planned and sent, and the last synced commit does not move past a changed bundle left out.
@Suite("--bundle", .serialized)
struct BundleSelectionTests {
    func specsync(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret])
    }

    func lastSyncedCommit(_ fixture: GitFixture) async throws -> String? {
        let status = try await specsync(["status", "--format", "json"], in: fixture)
        let object = (try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8))) as? [String: Any]
        return object?["lastSyncedCommit"] as? String
    }

    func head(_ fixture: GitFixture) throws -> String {
        try fixture.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a glob syncs only its bundles; the base stays while changed bundles are left out, so the next full pass still finds them")
    func baseStaysBehindLeftOutBundles() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let synced = try head(fixture)
            #expect(try await lastSyncedCommit(fixture) == synced)

            for source in ["acme-orders", "mailchimp-campaigns", "mailchimp-members"] { try SpecEdit.touch(source, in: fixture) }
            try fixture.commitAll("relabel all three")

            let plan = try await specsync(["plan", "--bundle", "mailchimp-*", "--format", "json"], in: fixture)
            #expect(plan.status == 0, "\(plan.stderr)")
            #expect(DecisionMap.read(plan.stdout, key: "changes") == ["mailchimp-campaigns": "update", "mailchimp-members": "update"])
            let planReport = (try? JSONSerialization.jsonObject(with: Data(plan.stdout.utf8))) as? [String: Any]
            #expect(planReport?["leftOut"] as? [String] == ["acme-orders"])
            let planText = try await specsync(["plan", "--bundle", "mailchimp-*"], in: fixture)
            #expect(planText.stdout.contains("1 changed bundle left out by --bundle: acme-orders"), "\(planText.stdout)")

            let first = try await specsync(["sync", "--once", "--bundle", "mailchimp-*", "--format", "json"], in: fixture)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let report = (try? JSONSerialization.jsonObject(with: Data(first.stdout.utf8))) as? [String: Any]
            #expect((report?["updated"] as? [String])?.sorted() == ["mailchimp-campaigns", "mailchimp-members"])
            #expect(report?["leftOut"] as? [String] == ["acme-orders"])
            #expect(try await lastSyncedCommit(fixture) == synced, "the base does not move past acme-orders")
            #expect(await emulator.store.statistics().count("PUT", "connectionSpec", 200) == 2)

            let text = try await specsync(["sync", "--once", "--bundle", "mailchimp-members"], in: fixture)
            #expect(text.stdout.contains("1 changed bundle left out by --bundle (acme-orders)"), "\(text.stdout)")

            let rest = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(rest.status == 0, "\(rest.stdout)\(rest.stderr)")
            let restReport = (try? JSONSerialization.jsonObject(with: Data(rest.stdout.utf8))) as? [String: Any]
            #expect(restReport?["updated"] as? [String] == ["acme-orders"], "the left-out bundle is found by the next pass")
            #expect(try await lastSyncedCommit(fixture) == (try head(fixture)))
            #expect(await emulator.store.statistics().count("PUT", "connectionSpec", 200) == 3)
        }
    }

    @Test("a selection that leaves out nothing changed moves the base; a name that matches nothing is refused before anything is sent")
    func selectionEdges() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            try fixture.write("Acme, relabelled\n", to: "Sources/acme-orders/Artifacts/acme-orders-label.txt")
            try fixture.commitAll("relabel acme")
            let only = try await specsync(["sync", "--once", "--bundle", "acme-orders"], in: fixture)
            #expect(only.status == 0, "\(only.stdout)\(only.stderr)")
            #expect(try await lastSyncedCommit(fixture) == (try head(fixture)))

            let writes = await emulator.store.statistics().writes
            let misspelt = try await specsync(["sync", "--once", "--bundle", "acme-order", "--bundle", "mailchimp-*"], in: fixture)
            #expect(misspelt.status == 1)
            #expect(misspelt.stderr.contains("--bundle 'acme-order' names no bundle in git"), "\(misspelt.stderr)")
            let plan = try await specsync(["plan", "--bundle", "nothing-*"], in: fixture)
            #expect(plan.status == 1)
            #expect(plan.stderr.contains("--bundle 'nothing-*' names no bundle"))
            #expect(await emulator.store.statistics().writes == writes)
        }
    }
}
