import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// `specsync status` shows each record's typed status (from `failure`, `quarantined`, `orphanedAt`,
/// never from `lastError`'s words), on the real binary over a state put in place with `state push`.
@Suite("status: each record's typed status", .serialized)
struct StatusCommandTests {
    /// Folder → how its record is edited in the pulled state before it is pushed back.
    static let edits: [(bundle: String, edit: @Sendable ([String: Any]) -> [String: Any])] = [
        ("in-sync", { $0 }),
        ("conflicting", { record in
            var record = record
            record["failure"] = "conflict"
            record["lastError"] = "conflict: changed outside git"
            record["consecutiveFailures"] = 2
            return record
        }),
        ("legacy-failure", { record in
            var record = record
            record["lastError"] = "PUT failed: 503"
            record["consecutiveFailures"] = 1
            return record
        }),
        ("quarantined", { record in
            var record = record
            record["failure"] = "quarantined"
            record["quarantined"] = true
            record["lastError"] = "quarantined: changed outside git again"
            return record
        }),
        ("orphaned", { record in
            var record = record
            record["orphanedAt"] = record["lastSyncedAt"]
            return record
        }),
        ("linked", { record in
            var record = record
            record["bodyHash"] = nil
            return record
        }),
    ]

    @Test("text marks failed (with its kind), quarantined, orphan and pending records apart; JSON names the status")
    func typedStatus() async throws {
        try await withFlowServiceEmulator(ReconcilerCommandTests.configuration()) { emulator in
            let fixture = try await ReconcilerCommandTests.repository(Self.edits.map { ($0.bundle, "Source \($0.bundle)") }, emulator: emulator)
            defer { fixture.cleanUp() }
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)

            let pulled = try await specsync(["state", "pull"], in: fixture)
            var document = try #require(try JSONSerialization.jsonObject(with: Data(pulled.stdout.utf8)) as? [String: Any])
            var bundles = try #require(document["bundles"] as? [String: [String: Any]])
            for (bundle, edit) in Self.edits { bundles[bundle] = edit(try #require(bundles[bundle], "\(bundles.keys)")) }
            document["bundles"] = bundles
            document["checksum"] = nil
            let file = fixture.url.appendingPathComponent("edited.json")
            try JSONSerialization.data(withJSONObject: document).write(to: file)
            let pushed = try ProcessRunner.run("/bin/sh", ["-c", "\"$0\" state push < \"$1\"", try SpecSyncBinary.path, file.path],
                                               in: fixture.url, environment: SpecSyncBinary.childEnvironment())
            #expect(pushed.status == 0, "\(pushed.stderr)")

            let text = try await specsync(["status", "--no-color"], in: fixture)
            #expect(text.status == 0, "\(text.stderr)")
            func line(_ bundle: String) -> String {
                text.stdout.split(separator: "\n").first { $0.hasPrefix("  ") && $0.dropFirst(4).hasPrefix("\(bundle)  ") }.map(String.init) ?? ""
            }
            #expect(line("in-sync").hasPrefix("  ✓ in-sync  in sync  id "), "\(text.stdout)")
            #expect(line("conflicting").hasPrefix("  ✗ conflicting  failed (conflict: changed outside git)"), "\(text.stdout)")
            #expect(line("legacy-failure").hasPrefix("  ✗ legacy-failure  failed (write failed"), "\(text.stdout)")
            #expect(line("quarantined").hasPrefix("  ! quarantined  quarantined (not sent until git changes it or --force)"), "\(text.stdout)")
            #expect(line("orphaned").hasPrefix("  - orphaned  orphan (marked: left git, no longer managed)"), "\(text.stdout)")
            #expect(line("linked").hasPrefix("  … linked  pending (linked: git's body not sent yet)"), "\(text.stdout)")
            #expect(text.stdout.contains("last error (2×): conflict: changed outside git"), "\(text.stdout)")

            let json = try await specsync(["status", "--format", "json"], in: fixture)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let entries = try #require(object["bundles"] as? [[String: Any]])
            let statuses = Dictionary(uniqueKeysWithValues: entries.map { ($0["bundle"] as? String ?? "", $0["status"] as? String ?? "") })
            #expect(statuses == ["in-sync": "in sync", "conflicting": "conflict", "legacy-failure": "failed", "quarantined": "quarantined",
                                 "orphaned": "orphan", "linked": "linked"])
            _ = emulator
        }
    }

    func specsync(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": ReconcilerCommandTests.secret])
    }
}
