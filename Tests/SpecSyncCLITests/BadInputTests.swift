import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// Issue 8, bad input: one commit holds every kind of bad bundle beside valid ones, synced once by
/// the real binary against the emulator. Each bad bundle must give exactly one error at its exact
/// file and position, the valid bundles must reach the emulator, and the run must exit 3 (partial).
/// A broken configuration or state file stops the run (exit 1) with one message naming the file.
@Suite("bad input", .serialized, .timeLimit(.minutes(3)))
struct BadInputTests {
    /// One bad bundle: what is wrong, and the one error it must give.
    struct Case: Sendable, CustomTestStringConvertible {
        let bundle: String
        let location: String
        let message: String

        var testDescription: String { bundle }
    }

    static func spec(_ bundle: String) -> String { "Sources/\(bundle)/Artifacts/\(bundle)-connectionSpec.json" }
    static func icon(_ bundle: String) -> String { "Sources/\(bundle)/Artifacts/\(bundle)-icon.svg" }

    static let cases: [Case] = [
        Case(bundle: "malformed-json", location: spec("malformed-json") + ":11:1",
             message: "expected ',' or '}' after the value of \"explorePaginationSupported\""),
        Case(bundle: "empty-file", location: spec("empty-file") + ":1:1", message: "the file is empty"),
        Case(bundle: "top-level-array", location: spec("top-level-array") + ":1:1",
             message: "the top level of a connection spec must be an object, found an array"),
        Case(bundle: "wrong-types", location: spec("wrong-types") + "#/authSpec", message: "'authSpec' must be an array, found an object"),
        Case(bundle: "missing-required", location: spec("missing-required") + "#/providerId",
             message: "required field 'providerId' is missing"),
        Case(bundle: "invalid-utf8", location: spec("invalid-utf8") + ":3:32", message: "invalid UTF-8 byte 0xFF"),
        Case(bundle: "deep-nesting", location: spec("deep-nesting") + ":1:513", message: "nesting deeper than 512 levels"),
        Case(bundle: "oversized", location: spec("oversized"),
             message: "the file is 20972913 bytes; the limit for a bundle file is 8 MiB (8388608 bytes)"),
        Case(bundle: "linked-spec", location: spec("linked-spec"), message: "is a symbolic link"),
        Case(bundle: "linked-folder", location: "Sources/linked-folder", message: "is a symbolic link"),
        Case(bundle: "linked-artifacts", location: "Sources/linked-artifacts/Artifacts", message: "is a symbolic link"),
        Case(bundle: "duplicate-one", location: spec("duplicate-one") + "#/name",
             message: "the name 'Duplicate source' is also used by duplicate-two"),
        Case(bundle: "duplicate-two", location: spec("duplicate-two") + "#/name",
             message: "the name 'Duplicate source' is also used by duplicate-one"),
        Case(bundle: "icon-not-svg", location: icon("icon-not-svg") + ":1:1", message: "the icon is not UTF-8 text, so it is not an SVG"),
        Case(bundle: "icon-script", location: icon("icon-script") + ":2:3", message: "the icon contains a <script> element"),
    ]

    /// The bundles that must be synced although the commit is full of bad ones.
    static let validNames: Set<String> = [
        "Acme Orders source", "MailChimp Campaigns source", "MailChimp Members source", "valid-sample source",
        "deep-valid source",
    ]

    /// What one `sync --once` of the bad commit did.
    struct Outcome: Sendable {
        let result: ProcessResult
        /// bundle → the reason the report gives for it being invalid.
        let invalid: [String: String]
        let created: [String]
        /// Names of the specs the emulator holds afterwards.
        let remoteNames: [String]
    }

    /// The bad commit is synced once and shared by every test of the suite.
    static let outcome = Task { try await syncBadCommit() }

    static func syncBadCommit() async throws -> Outcome {
        try await withFlowServiceEmulator(SyncCommandTests.emulatorConfiguration()) { emulator in
            let fixture = try await SyncCommandTests.repository(for: emulator, configuration: SyncCommandTests.emulatorConfiguration())
            defer { fixture.cleanUp() }
            let outside = try TemporaryDirectory(prefix: "specsync-outside")
            defer { outside.remove() }
            // Tens of megabytes to write and commit: off the cooperative threads the emulator needs.
            try await BlockingWork.run {
                try writeBadBundles(in: fixture, outside: outside)
                try fixture.commitAll("bad input beside valid bundles")
            }
            let result = try await SpecSyncBinary.execute(
                ["sync", "--once", "--format", "json"], in: fixture.url,
                environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                      "\(result.stdout)\(result.stderr)")
            var invalid: [String: String] = [:]
            for entry in report["invalid"] as? [[String: Any]] ?? [] {
                invalid[entry["bundle"] as? String ?? "?"] = entry["reason"] as? String
            }
            let names = await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/name")]?.stringValue }
            return Outcome(result: result, invalid: invalid, created: report["created"] as? [String] ?? [], remoteNames: names)
        }
    }

    static func writeBadBundles(in fixture: GitFixture, outside: TemporaryDirectory) throws {
        func write(_ bytes: [UInt8], to path: String) throws { try fixture.directory.write(Data(bytes), to: path) }
        func bundle(_ name: String, spec: String? = nil) throws {
            try SampleBundle.write(name, in: fixture.directory)
            if let spec { try fixture.write(spec, to: Self.spec(name)) }
        }
        try bundle("valid-sample")
        // Nesting just inside the limit goes through every step (parse, validate, canonical form,
        // the emulator) like any other spec.
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        try bundle("deep-valid", spec: SampleBundle.spec(name: "deep-valid source", extra: "\n  \"x-deep\": \(deep),"))

        let broken = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SpecSyncCoreTests/Fixtures/seed000-broken.json")
        try bundle("malformed-json")
        try write(Array(try Data(contentsOf: broken)), to: spec("malformed-json"))
        try bundle("empty-file", spec: "")
        try bundle("top-level-array", spec: "[" + SampleBundle.spec(name: "top-level-array source") + "]")
        try bundle("wrong-types", spec: SampleBundle.spec(name: "wrong-types source")
            .replacingOccurrences(of: #""authSpec": ["#, with: #""authSpec": {"basic": "#)
            .replacingOccurrences(of: "\n  ],\n  \"sourceSpec\"", with: "\n  },\n  \"sourceSpec\""))
        try bundle("missing-required", spec: SampleBundle.spec(name: "missing-required source")
            .replacingOccurrences(of: #""providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a","#, with: ""))
        // 0xFF can never appear in UTF-8; here in the description on line 3.
        try bundle("invalid-utf8")
        var latin1 = Array(SampleBundle.spec(name: "invalid-utf8").utf8)
        let through = Array(" through".utf8)
        let at = try #require(latin1.indices.first { latin1[$0...].starts(with: through) })
        latin1.insert(0xFF, at: at + 1)
        try write(latin1, to: spec("invalid-utf8"))
        try bundle("deep-nesting", spec: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        // 20 MiB of description: a valid spec in every other respect.
        try bundle("oversized", spec: SampleBundle.spec(
            name: "oversized source", extra: "\n  \"x-notes\": \"\(String(repeating: "a", count: 20 << 20))\","))

        // Links never followed, wherever they are: the spec, the bundle folder, its Artifacts folder.
        // Each points at a valid bundle outside the repository, which a followed link would sync.
        for name in ["linked-folder", "linked-artifacts"] { try SampleBundle.write(name, root: "elsewhere", in: outside) }
        try bundle("linked-spec")
        try fixture.remove(spec("linked-spec"))
        try FileManager.default.createSymbolicLink(
            atPath: fixture.path + "/" + spec("linked-spec"), withDestinationPath: outside.path + "/elsewhere/linked-folder/Artifacts/linked-folder-connectionSpec.json")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.path + "/Sources/linked-folder", withDestinationPath: outside.path + "/elsewhere/linked-folder")
        try FileManager.default.createDirectory(atPath: fixture.path + "/Sources/linked-artifacts", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: fixture.path + "/Sources/linked-artifacts/Artifacts", withDestinationPath: outside.path + "/elsewhere/linked-artifacts/Artifacts")

        try SampleBundle.write("duplicate-one", name: "Duplicate source", in: fixture.directory)
        try SampleBundle.write("duplicate-two", name: "Duplicate source", in: fixture.directory)
        try bundle("icon-not-svg")
        try write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52], to: icon("icon-not-svg"))
        try bundle("icon-script")
        try fixture.write("<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <script>alert(document.cookie)</script>\n</svg>\n", to: icon("icon-script"))
    }

    @Test("the run exits 3 (partial), every bad bundle is invalid, and exactly the valid bundles reach the emulator")
    func partialRun() async throws {
        let outcome = try await Self.outcome.value
        #expect(outcome.result.status == 3, "\(outcome.result.stdout)\(outcome.result.stderr)")
        #expect(Set(outcome.invalid.keys) == Set(Self.cases.map(\.bundle)))
        #expect(outcome.created.sorted() == ["acme-orders", "deep-valid", "mailchimp-campaigns", "mailchimp-members", "valid-sample"])
        #expect(outcome.remoteNames.sorted() == Self.validNames.sorted(), "no link was followed, nothing bad was sent")
        #expect(!outcome.result.stderr.contains("Fatal error"), "\(outcome.result.stderr)")
    }

    @Test("one error, at the exact file and position", arguments: cases)
    func oneDiagnostic(_ bad: Case) async throws {
        let outcome = try await Self.outcome.value
        let reason = try #require(outcome.invalid[bad.bundle], "\(bad.bundle) is not reported invalid")
        let errors = reason.components(separatedBy: ": error: ").count - 1
        #expect(errors == 1, "\(reason)")
        #expect(reason.hasPrefix("invalid: \(bad.location): error: "), "\(reason)")
        #expect(reason.contains(bad.message), "\(reason)")
    }

    @Test("a configuration with an unknown key: exit 1, one message with its line and column, nothing sent")
    func unknownConfigurationKey() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let configuration = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
            try fixture.write(configuration.replacingOccurrences(of: "      concurrency: 2", with: "      concurency: 2"), to: "specsync.yaml")
            let result = try await SpecSyncBinary.execute(["sync", "--once"], in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret])
            #expect(result.status == 1)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("specsync.yaml:10:7"), "\(result.stderr)")
            #expect(result.stderr.contains("unknown key 'concurency'"), "\(result.stderr)")
            #expect(await emulator.store.statistics().writes == 0)
        }
    }

    @Test("a corrupted state file: exit 1, one message with its line and column and what to do, the file left as it was")
    func corruptedState() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let damaged = "{\n  \"schemaVersion\": 1,\n  \"records\": {\u{0}}\n"
            try fixture.write(damaged, to: ".specsync/emulator.state.json")
            let result = try await SpecSyncBinary.execute(["sync", "--once"], in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret])
            #expect(result.status == 1)
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("emulator.state.json is corrupted at 3:15"), "\(result.stderr)")
            #expect(result.stderr.contains("restore"), "\(result.stderr)")
            #expect(try String(contentsOf: fixture.url.appendingPathComponent(".specsync/emulator.state.json"), encoding: .utf8) == damaged)
            #expect(await emulator.store.statistics().writes == 0)
        }
    }

    @Test("an unreadable state file: exit 1, one message naming it, nothing sent")
    func unreadableState() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            // A folder where the file should be: unreadable as a file even for root, unlike chmod 000.
            try FileManager.default.createDirectory(
                atPath: fixture.path + "/.specsync/emulator.state.json", withIntermediateDirectories: true)
            let result = try await SpecSyncBinary.execute(["sync", "--once"], in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret])
            #expect(result.status == 1)
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("emulator.state.json cannot be read: it is a folder; it must be a regular file"), "\(result.stderr)")
            #expect(await emulator.store.statistics().writes == 0)
        }
    }
}
