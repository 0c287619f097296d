import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// `specsync verify`, the real binary against the emulator, whose verification endpoints run the
/// specs with the source runtime against the emulator's sample third-party API on loopback.
@Suite("specsync verify", .serialized)
struct VerifyCommandTests {
    static let clientSecret = "emulator-secret-\(UUID().uuidString)"
    static let sourcePassword = "source-password-\(UUID().uuidString)"

    /// The examples, synced, with a verify section for acme-orders and mailchimp-members.
    static func withSyncedExamples(
        dataflow: Bool = true, afterSync: Bool = false, password: String = "$(env:SOURCE_PASSWORD)",
        _ body: (FlowServiceEmulator, GitFixture) async throws -> Void
    ) async throws {
        var sample = SampleAPIConfiguration()
        sample.acmeUsername = "verify"
        sample.acmePassword = sourcePassword
        sample.mailchimpAPIKey = sourcePassword
        try await withSampleAPI(sample) { source in
            var configuration = EmulatorConfiguration()
            configuration.clientSecret = clientSecret
            configuration.sourceProbe = RuntimeSourceProbe(origin: try await source.baseURL)
            try await withFlowServiceEmulator(configuration) { emulator in
                let fixture = try GitFixture()
                defer { fixture.cleanUp() }
                for entry in try FileManager.default.contentsOfDirectory(atPath: SyncCommandTests.examples.path) {
                    try FileManager.default.copyItem(at: SyncCommandTests.examples.appendingPathComponent(entry), to: fixture.url.appendingPathComponent(entry))
                }
                let target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "EMULATOR_CLIENT_SECRET")
                let verify = """
                        verify:
                          dataflow: \(dataflow)
                          afterSync: \(afterSync)
                          runTimeout: 2m
                          bundles:
                            acme-orders:
                              auth: {domain: acme, username: verify, password: "\(password)"}
                            mailchimp-members:
                              authSpec: Basic Authentication
                              auth: {domain: us1, username: verify, password: "\(password)"}
                              params: {listId: demo-list}

                    """
                try fixture.write("targets:\n" + target + verify, to: "specsync.yaml")
                try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
                try fixture.commitAll("examples")
                let sync = try await specsync(["sync", "--once"], in: fixture)
                #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
                try await body(emulator, fixture)
            }
        }
    }

    static func specsync(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: environment)
    }

    static let environment = ["EMULATOR_CLIENT_SECRET": clientSecret, "SOURCE_PASSWORD": sourcePassword]

    static func counts(_ emulator: FlowServiceEmulator) async -> [String: Int] {
        await emulator.verificationStore.counts()
    }

    @Test("verify runs connection, test, explore and an awaited one-off dataflow per bundle, then deletes it all; the run counts every page's records; the password never shows")
    func passes() async throws {
        try await Self.withSyncedExamples { emulator, fixture in
            let result = try await Self.specsync(["verify"], in: fixture)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("explore returned 10 records"), "the first records of page 1: \(result.stdout)")
            #expect(result.stdout.contains("succeeded with 230 records"), "acme-orders, 5 pages of CONTINUATION_TOKEN: \(result.stdout)")
            #expect(result.stdout.contains("succeeded with 250 records"), "mailchimp-members, 3 pages of OFFSET: \(result.stdout)")
            #expect(result.stdout.contains("2 bundles checked: 2 passed, 0 failed"))
            let counts = await Self.counts(emulator)
            #expect(counts["connections"] == 0 && counts["sourceConnections"] == 0 && counts["flows"] == 0, "\(counts)")
            #expect(counts["runs"] == 2, "one awaited run per bundle: \(counts)")
            let json = try await Self.specsync(["verify", "acme-orders", "--format", "json"], in: fixture)
            #expect(json.status == 0, "\(json.stdout)\(json.stderr)")
            let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(document?["passed"] as? Bool == true)
            let ledger = try String(contentsOf: fixture.url.appendingPathComponent(".specsync/emulator.verify-ledger.json"), encoding: .utf8)
            for text in [result.stdout, result.stderr, json.stdout, ledger] {
                #expect(!text.contains(Self.sourcePassword), "the source password leaked")
            }
            let entries = (try JSONSerialization.jsonObject(with: Data(ledger.utf8)) as? [String: Any])?["entries"] as? [Any]
            #expect(entries?.isEmpty == true, "the ledger is empty after a clean run: \(ledger)")
        }
    }

    @Test("a spec with a wrong path fails the connection test, saying what the source answered; nothing is left behind")
    func brokenPath() async throws {
        try await Self.withSyncedExamples(dataflow: false) { emulator, fixture in
            let file = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
            let text = try String(contentsOf: fixture.url.appendingPathComponent(file), encoding: .utf8)
            try fixture.write(text.replacingOccurrences(of: "\"/v2/orders\"", with: "\"/v2/order\""), to: file)
            try fixture.commitAll("break the path")
            #expect(try await Self.specsync(["sync", "--once"], in: fixture).status == 0)
            let result = try await Self.specsync(["verify", "acme-orders"], in: fixture)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("test: the connection test failed"), "\(result.stdout)")
            #expect(result.stdout.contains("/v2/order answered 404"), "\(result.stdout)")
            #expect(result.stdout.contains("#/sourceSpec/attributes/urlParams"), "\(result.stdout)")
            #expect(!result.stdout.contains("Optional("), "no Swift dumps: \(result.stdout)")
            #expect(await Self.counts(emulator)["connections"] == 0)
        }
    }

    @Test("wrong credentials fail the connection test with the source's refusal")
    func wrongCredentials() async throws {
        try await Self.withSyncedExamples(dataflow: false, password: "not-the-password") { emulator, fixture in
            let result = try await Self.specsync(["verify", "acme-orders"], in: fixture)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("test: the connection test failed"), "\(result.stdout)")
            #expect(result.stdout.contains("/v2/orders answered 401"), "\(result.stdout)")
            #expect(await Self.counts(emulator)["connections"] == 0)
        }
    }

    @Test("a bundle whose contentPath matches nothing fails verification, naming the path and what the answer holds; nothing is left behind")
    func wrongContentPath() async throws {
        try await Self.withSyncedExamples { emulator, fixture in
            let file = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
            let text = try String(contentsOf: fixture.url.appendingPathComponent(file), encoding: .utf8)
            try fixture.write(text.replacingOccurrences(of: "\"$.orders\"", with: "\"$.items\""), to: file)
            try fixture.commitAll("wrong content path")
            #expect(try await Self.specsync(["sync", "--once"], in: fixture).status == 0)
            let result = try await Self.specsync(["verify", "acme-orders"], in: fixture)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("#/sourceSpec/attributes/contentPath/path: contentPath $.items matched nothing on page 1; the response's top-level keys are orders, next"), "\(result.stdout)")
            #expect(result.stdout.contains("1 bundle checked: 0 passed, 1 failed"), "\(result.stdout)")
            let counts = await Self.counts(emulator)
            #expect(counts["connections"] == 0 && counts["flows"] == 0, "\(counts)")
        }
    }

    @Test("a bundle whose last page repeats passes test and explore (page 1 is fine) and fails the dataflow's run: the pagination never ends")
    func repeatingLastPage() async throws {
        try await Self.withSyncedExamples { emulator, fixture in
            let file = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
            let text = try String(contentsOf: fixture.url.appendingPathComponent(file), encoding: .utf8)
            // The sample API's trap: the last page's `next` is its own cursor.
            try fixture.write(text.replacingOccurrences(of: "\"/v2/orders\"", with: "\"/v2/orders-stuck\""), to: file)
            try fixture.commitAll("a listing that repeats its last page")
            #expect(try await Self.specsync(["sync", "--once"], in: fixture).status == 0)
            let result = try await Self.specsync(["verify", "acme-orders"], in: fixture)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("explore returned 10 records"), "\(result.stdout)")
            #expect(result.stdout.contains("continuation token 'c200', which was already fetched: the CONTINUATION_TOKEN pagination never ends"), "\(result.stdout)")
            #expect(result.stdout.contains("#/sourceSpec/attributes/paginationParams"), "\(result.stdout)")
            let counts = await Self.counts(emulator)
            #expect(counts["connections"] == 0 && counts["sourceConnections"] == 0 && counts["flows"] == 0, "\(counts)")
        }
    }

    @Test("with verify.afterSync, sync --once verifies the bundles it wrote; a broken one makes it exit 3")
    func afterSync() async throws {
        try await Self.withSyncedExamples(dataflow: false, afterSync: true) { emulator, fixture in
            let file = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
            let text = try String(contentsOf: fixture.url.appendingPathComponent(file), encoding: .utf8)
            try fixture.write(text.replacingOccurrences(of: "\"Acme Orders source\"", with: "\"Acme Orders\""), to: file)
            try fixture.commitAll("rename acme-orders")
            let good = try await Self.specsync(["sync", "--once"], in: fixture)
            #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
            #expect(good.stdout.contains("1 bundle checked: 1 passed, 0 failed"), "only the bundle the pass wrote: \(good.stdout)")

            try fixture.write(text.replacingOccurrences(of: "\"/v2/orders\"", with: "\"/v2/order\""), to: file)
            try fixture.commitAll("break the path")
            let broken = try await Self.specsync(["sync", "--once"], in: fixture)
            #expect(broken.status == 3, "\(broken.stdout)\(broken.stderr)")
            #expect(broken.stdout.contains("the connection test failed"), "\(broken.stdout)")
            #expect(await Self.counts(emulator)["connections"] == 0)
        }
    }

    /// "create": killed while its POST is held, before the id came back (the ledger has the name only);
    /// "test": while the connection test is held; "run": while the dataflow's run is in progress.
    @Test("a verify killed mid-chain leaves its creations in the ledger; the next run deletes them first", arguments: ["create", "test", "run"])
    func killedMidChain(_ slowStep: String) async throws {
        try await Self.withSyncedExamples { emulator, fixture in
            var slow = VerificationStore.Settings()
            switch slowStep {
            case "create": slow.delayMilliseconds = ["POST connections": 3000]
            case "test": slow.delayMilliseconds = ["GET connections/test": 8000]
            default: slow.runMilliseconds = 8000
            }
            await emulator.verificationStore.replaceSettings(slow)
            let process = try ChildProcess(
                try SpecSyncBinary.path, ["verify", "acme-orders"], in: fixture.url,
                environment: SpecSyncBinary.childEnvironment(Self.environment))
            defer { process.signal(SIGKILL); process.waitUntilExit() }
            let ledgerFile = fixture.url.appendingPathComponent(".specsync/emulator.verify-ledger.json")
            let deadline = Date().addingTimeInterval(30)
            if slowStep == "create" {
                // Killed once the intent is on disk and the POST is held at the server: no id has come back.
                while !((try? String(contentsOf: ledgerFile, encoding: .utf8))?.contains("specsync-verify-acme-orders") ?? false) && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                while await emulator.verificationStore.held["POST connections", default: 0] == 0 && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                process.signal(SIGKILL)
                await process.exited()
                #expect(!(try String(contentsOf: ledgerFile, encoding: .utf8)).contains("\"id\""), "killed before the id was recorded")
                // The server finishes the held POST all the same.
                while await Self.counts(emulator)["connections"] == 0 && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
            } else {
                // Killed once the slow step is reached: the connection (and for "run" the flow) exists.
                let waitFor = slowStep == "test" ? "connections" : "flows"
                while await Self.counts(emulator)[waitFor] == 0 && Date() < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await Task.sleep(for: .milliseconds(200))
                process.signal(SIGKILL)
                await process.exited()
            }
            let left = await Self.counts(emulator)
            #expect(left["connections"] == 1, "the killed run left its base connection: \(left)")
            if slowStep == "run" { #expect(left["flows"] == 1 && left["sourceConnections"] == 1, "\(left)") }
            let ledger = try String(contentsOf: ledgerFile, encoding: .utf8)
            #expect(ledger.contains("specsync-verify-acme-orders"), "the ledger names what the killed run created: \(ledger)")

            await emulator.verificationStore.replaceSettings(VerificationStore.Settings())
            let next = try await Self.specsync(["verify", "acme-orders"], in: fixture)
            #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
            #expect(next.stdout.contains("left by an earlier run"), "\(next.stdout)")
            let after = await Self.counts(emulator)
            #expect(after["connections"] == 0 && after["sourceConnections"] == 0 && after["flows"] == 0, "nothing is left: \(after)")
        }
    }
}
