import Foundation
import SpecSyncTestSupport
import Testing

/// `plan --format markdown`, the pull-request comment: checked against a committed expected file
/// for the example repository, and held under 65,000 characters with a note saying what was cut.
@Suite("plan --format markdown")
struct PlanMarkdownTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let configuration = """
        targets:
          dev:
            flowService:
              baseURL: https://platform.example.test/data/foundation/flowservice
              imsURL: https://ims.example.test
              orgId: 0123456789ABCDEF01234567@AdobeOrg
              sandbox: dev
              clientId: example-client
              clientSecret: {env: EXAMPLE_CLIENT_SECRET}

        """

    /// The example repository, recorded as synced at its first commit, then changed: one bundle
    /// relabelled, one with a secret in its body, one removed, one added.
    func exampleRepository() throws -> GitFixture {
        let fixture = try GitFixture()
        for entry in try FileManager.default.contentsOfDirectory(atPath: SyncCommandTests.examples.path) where entry == "Sources" {
            try FileManager.default.copyItem(at: SyncCommandTests.examples.appendingPathComponent(entry), to: fixture.url.appendingPathComponent(entry))
        }
        try fixture.write(Self.configuration, to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        try fixture.commitAll("examples")
        return fixture
    }

    func markdown(_ fixture: GitFixture, _ extra: [String] = [], secret: String = "not-used") throws -> ProcessResult {
        try SpecSyncBinary.run(["plan", "--offline", "--format", "markdown"] + extra, in: fixture.url,
                               environment: ["EXAMPLE_CLIENT_SECRET": "s3cr3t-client", "EXAMPLE_TOKEN": secret])
    }

    @Test("the example repository's plan comment matches the committed expected file; a secret in a body is masked")
    func expectedComment() throws {
        let fixture = try exampleRepository()
        defer { fixture.cleanUp() }
        let secret = "tok-\(UUID().uuidString)"
        let plan = try SpecSyncBinary.run(["plan", "--offline", "--format", "json"], in: fixture.url)
        try recordSync(fixture, plan.stdout)
        try fixture.write("Mailchimp members, relabelled\n", to: "Sources/mailchimp-members/Artifacts/mailchimp-members-label.txt")
        let path = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
        let spec = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
        try fixture.write(spec.replacingOccurrences(of: "\"Orders from the Acme commerce API\"", with: "\"Orders for $(env:EXAMPLE_TOKEN)\""), to: path)
        try fixture.git("rm", "-r", "-q", "Sources/mailchimp-campaigns")
        try SampleBundle.write("zeta", in: fixture.directory)
        try fixture.commitAll("change the examples")

        let result = try markdown(fixture, secret: secret)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains(secret))
        let head = try fixture.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let base = try fixture.git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines)
        let normalized = result.stdout.replacingOccurrences(of: head.prefix(12), with: "HEADCOMMIT0")
            .replacingOccurrences(of: base.prefix(12), with: "BASECOMMIT0")
        let expectedURL = Self.fixtures.appendingPathComponent("example-plan.md")
        if ProcessInfo.processInfo.environment["SPECSYNC_UPDATE_FIXTURES"] == "1" {
            try normalized.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(normalized == expected, "set SPECSYNC_UPDATE_FIXTURES=1 to rewrite the expected file after a deliberate change")
        #expect(normalized.hasPrefix("<!-- specsync-plan target=dev -->\n"))
    }

    @Test("a plan of a hundred and twenty creates is cut to 65,000 characters with a note, the marker and summary kept")
    func cap() throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        for index in 0..<120 { try SampleBundle.write(String(format: "bundle-%03d", index), in: fixture.directory) }
        try fixture.write(Self.configuration, to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        try fixture.commitAll("many")
        let result = try markdown(fixture)
        #expect(result.status == 0, "\(result.stderr)")
        let output = result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
        #expect(output.unicodeScalars.count <= 65_000)
        #expect(output.unicodeScalars.count > 60_000, "filled up to the cap")
        #expect(output.hasPrefix("<!-- specsync-plan target=dev -->"))
        #expect(output.contains("**Plan: 120 to create"))
        #expect(output.contains("> **Cut to fit a comment (65000 characters):**"))
        #expect(output.hasSuffix("for the whole plan."))
        #expect(output.components(separatedBy: "<details>").count == output.components(separatedBy: "</details>").count, "no section cut in half")
    }

    /// Writes the state a sync of HEAD would leave, from the plan's desired hashes.
    func recordSync(_ fixture: GitFixture, _ planJSON: String) throws {
        let report = (try JSONSerialization.jsonObject(with: Data(planJSON.utf8))) as? [String: Any] ?? [:]
        var bundles: [String: Any] = [:]
        for change in report["changes"] as? [[String: Any]] ?? [] {
            guard let bundle = change["bundle"] as? String, let hash = change["desiredHash"] as? String else { continue }
            bundles[bundle] = ["id": "remote-\(bundle)", "name": change["name"] ?? NSNull(), "bodyHash": hash, "consecutiveFailures": 0]
        }
        let target = report["target"] as? [String: Any] ?? [:]
        let state: [String: Any] = [
            "schemaVersion": 1, "lineage": "test-lineage", "serial": 1,
            "target": ["name": target["name"]!, "kind": target["kind"]!, "identity": target["identity"]!],
            "lastSyncedCommit": report["commit"]!, "bundles": bundles,
        ]
        try fixture.directory.write(try JSONSerialization.data(withJSONObject: state), to: ".specsync/dev.state.json")
    }
}
