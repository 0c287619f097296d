import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// The example repository's connections, synced by the real binary with the example configurations
/// in Config/examples against the emulator's Flxpoint and Versori.
enum ConnectionExamples {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/examples")
    /// The secrets the example connections reference, by credential name.
    static let secrets = [
        "flxpoint-acme-ftp-password": "ftp-\(UUID().uuidString)",
        "flxpoint-shopify-eu-token": "shpat-\(UUID().uuidString)",
        "versori-netsuite-webhook-secret": "whsec-\(UUID().uuidString)",
    ]

    /// The example folder as a git repository, and a credentials folder holding the connection
    /// secrets and the target's own key.
    static func repository(credentials extra: [String: String]) throws -> (GitFixture, TemporaryDirectory) {
        let fixture = try GitFixture()
        for entry in try FileManager.default.contentsOfDirectory(atPath: examples.path) {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(entry), to: fixture.url.appendingPathComponent(entry))
        }
        try fixture.write(".specsync/\n", to: ".gitignore")
        try fixture.commitAll("examples")
        let credentials = try TemporaryDirectory(prefix: "specsync-credentials")
        for (name, value) in secrets.merging(extra, uniquingKeysWith: { $1 }) {
            try Data(value.utf8).write(to: credentials.url.appendingPathComponent(name))
        }
        return (fixture, credentials)
    }

    static func run(_ arguments: [String], in fixture: GitFixture, credentials: TemporaryDirectory, environment: [String: String]) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: environment.merging(["CREDENTIALS_DIRECTORY": credentials.path]) { $1 })
    }

    static func report(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    static func expectNoSecret(in outputs: [String]) {
        for output in outputs {
            for secret in secrets.values { #expect(!output.contains(secret), "a connection secret leaked") }
        }
    }
}

@Suite("Flxpoint target", .serialized)
struct FlxpointTargetTests {
    static let token = EmulatorConfiguration().flxpointTokens.first!

    func withExamples(_ body: (FlowServiceEmulator, GitFixture, @escaping ([String]) async throws -> ProcessResult) async throws -> Void) async throws {
        try await withFlowServiceEmulator { emulator in
            let (fixture, credentials) = try ConnectionExamples.repository(credentials: ["flxpoint-token": Self.token])
            defer { fixture.cleanUp(); credentials.remove() }
            let environment = ["SPECSYNC_TARGETS_FLXPOINT_FLXPOINT_BASE_URL": try await emulator.flxpointURL]
            try await body(emulator, fixture) { arguments in
                try await ConnectionExamples.run(arguments + ["--config", "flxpoint.yaml"], in: fixture, credentials: credentials, environment: environment)
            }
        }
    }

    @Test("the example configuration creates, then does nothing, then replaces one connection whole")
    func createNoOpUpdate() async throws {
        try await withExamples { emulator, fixture, specsync in
            let first = try await specsync(["sync", "--once", "--format", "json"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect((try ConnectionExamples.report(first)["created"] as? [String])?.sorted() == ["acme-warehouse", "shopify-eu"])
            let warehouse = try #require(await emulator.flxpointStore.connections(named: "ACME warehouse inventory feed").first)
            #expect(warehouse.value(of: "password") == ConnectionExamples.secrets["flxpoint-acme-ftp-password"], "the secret reached Flxpoint")
            #expect(warehouse.connectionType == "FtpInventorySource")
            let requests = await emulator.store.statistics().flxpointRequests

            let second = try await specsync(["sync", "--once"])
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            #expect(second.stdout.contains("0 created, 0 updated, 2 unchanged, 0 failed"), "\(second.stdout)")
            #expect(await emulator.store.statistics().flxpointRequests == requests, "a no-op pass sends nothing")

            // A changed value and a removed handle: the PUT replaces, so the handle is gone remotely.
            let path = "Connections/flxpoint/acme-warehouse.json"
            var text = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
            text = text.replacingOccurrences(of: "\"21\"", with: "\"2121\"")
                .replacingOccurrences(of: "    { \"handle\": \"filePath\", \"value\": \"/exports/inventory.csv\" }\n", with: "")
                .replacingOccurrences(of: "\"$(cred:flxpoint-acme-ftp-password)\" },", with: "\"$(cred:flxpoint-acme-ftp-password)\" }")
            try fixture.write(text, to: path)
            try fixture.commitAll("new port, no file path")
            let third = try await specsync(["sync", "--once", "--format", "json"])
            #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
            #expect(try ConnectionExamples.report(third)["updated"] as? [String] == ["acme-warehouse"])
            let updated = try #require(await emulator.flxpointStore.connection(id: warehouse.id))
            #expect(updated.value(of: "port") == "2121")
            #expect(updated.value(of: "filePath") == nil, "a handle removed from the file is removed remotely")
            #expect(updated.value(of: "password") == ConnectionExamples.secrets["flxpoint-acme-ftp-password"])

            let status = try await specsync(["status"])
            #expect(status.stdout.contains("id \(warehouse.id)"), "\(status.stdout)")
            let state = try String(contentsOf: fixture.url.appendingPathComponent(".specsync/flxpoint.state.json"), encoding: .utf8)
            ConnectionExamples.expectNoSecret(in: [first.stdout, first.stderr, second.stdout, third.stdout, third.stderr, status.stdout, state])
        }
    }

    @Test("a connection edited in Flxpoint is not overwritten without --force; a masked secret is not mistaken for a change")
    func conflict() async throws {
        try await withExamples { emulator, fixture, specsync in
            #expect(try await specsync(["sync", "--once"]).status == 0)
            let warehouse = try #require(await emulator.flxpointStore.connections(named: "ACME warehouse inventory feed").first)
            try await emulator.flxpointStore.editOutOfBand(id: warehouse.id, handle: "username", value: "someone-else")

            let path = "Connections/flxpoint/acme-warehouse.json"
            let text = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
            try fixture.write(text.replacingOccurrences(of: "\"21\"", with: "\"990\""), to: path)
            try fixture.commitAll("port 990")
            let refused = try await specsync(["sync", "--once", "--format", "json"])
            #expect(refused.status == 3, "\(refused.stdout)\(refused.stderr)")
            let failed = try ConnectionExamples.report(refused)["failed"] as? [[String: Any]]
            #expect((failed?.first?["reason"] as? String)?.contains("conflict: the remote Flxpoint connection \(warehouse.id) was changed outside git") == true, "\(refused.stdout)")
            #expect(await emulator.flxpointStore.connection(id: warehouse.id)?.value(of: "username") == "someone-else")

            let forced = try await specsync(["sync", "--once", "--force"])
            #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
            let healed = await emulator.flxpointStore.connection(id: warehouse.id)
            #expect(healed?.value(of: "username") == "flxpoint")
            #expect(healed?.value(of: "port") == "990")
        }
    }

    @Test("20 connections go out at most 2 in any one-second window, as the emulator measures it, with no 429")
    func rateLimit() async throws {
        try await withExamples { emulator, fixture, specsync in
            for index in 0..<18 {
                try fixture.write("""
                    {"connectionType": "CsvFeed", "name": "Feed \(index)", "configs": [{"handle": "url", "value": "https://feeds.example/\(index).csv"}]}
                    """, to: "Connections/flxpoint/feed-\(index).json")
            }
            try fixture.commitAll("18 more connections")
            let result = try await specsync(["sync", "--once", "--format", "json"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect((try ConnectionExamples.report(result)["created"] as? [String])?.count == 20)
            let statistics = await emulator.store.statistics()
            #expect(await emulator.flxpointStore.connections().count == 20)
            #expect(statistics.flxpointRequests == 21, "one listing for the name lookups, then a create per connection")
            #expect(statistics.flxpointMaxRequestsInAnySecond <= 2, "the client exceeded 2 requests per second")
            #expect(statistics.flxpointMaxRequestsInAnySecond == 2, "the client did not use the allowance")
            #expect(statistics.flxpointThrottled == 0)
        }
    }

    @Test("validate checks the target's files; without the credentials a secret reference is a warning, not an error")
    func validateWithoutSecrets() async throws {
        let (fixture, credentials) = try ConnectionExamples.repository(credentials: [:])
        defer { fixture.cleanUp(); credentials.remove() }
        let result = try await SpecSyncBinary.execute(["validate", "--config", "flxpoint.yaml"], in: fixture.url, environment: [:])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("2 bundles checked"))
        #expect(result.stdout.contains("Connections/flxpoint/acme-warehouse.json#/configs/3/value: warning: $(cred:flxpoint-acme-ftp-password) is not defined here"), "\(result.stdout)")

        try fixture.write(#"{"connectionType": "T", "name": "Broken", "configs": [{"handle": "password", "value": "********"}]}"#, to: "Connections/flxpoint/broken.json")
        let broken = try await SpecSyncBinary.execute(["validate", "--config", "flxpoint.yaml"], in: fixture.url, environment: [:])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("Connections/flxpoint/broken.json#/configs/0/value: error: the value is Flxpoint's mask"), "\(broken.stdout)")
    }

    @Test("a refused token stops the pass with an error that says what Flxpoint's empty 401 means")
    func refusedToken() async throws {
        try await withFlowServiceEmulator { emulator in
            let (fixture, credentials) = try ConnectionExamples.repository(credentials: ["flxpoint-token": "not-the-token"])
            defer { fixture.cleanUp(); credentials.remove() }
            let result = try await ConnectionExamples.run(
                ["sync", "--once", "--config", "flxpoint.yaml"], in: fixture, credentials: credentials,
                environment: ["SPECSYNC_TARGETS_FLXPOINT_FLXPOINT_BASE_URL": try await emulator.flxpointURL])
            #expect(result.status != 0)
            #expect(result.stderr.contains("HTTP 401: Flxpoint refused the X-API-TOKEN"), "\(result.stderr)")
            #expect(result.stderr.contains("check flxpoint.token"))
            #expect(!result.stderr.contains("not-the-token"))
            #expect(await emulator.flxpointStore.connections().isEmpty)
        }
    }
}

@Suite("Versori target", .serialized)
struct VersoriTargetTests {
    static let key = EmulatorConfiguration().versoriAPIKeys.first!

    func withExamples(_ body: (FlowServiceEmulator, GitFixture, @escaping ([String]) async throws -> ProcessResult) async throws -> Void) async throws {
        try await withFlowServiceEmulator { emulator in
            let (fixture, credentials) = try ConnectionExamples.repository(credentials: ["versori-api-key": Self.key])
            defer { fixture.cleanUp(); credentials.remove() }
            let environment = [
                "SPECSYNC_TARGETS_VERSORI_VERSORI_BASE_URL": try await emulator.versoriURL,
                "SPECSYNC_TARGETS_VERSORI_VERSORI_ORGANISATION": emulator.configuration.versoriOrganisation,
            ]
            try await body(emulator, fixture) { arguments in
                try await ConnectionExamples.run(arguments + ["--config", "versori.yaml"], in: fixture, credentials: credentials, environment: environment)
            }
        }
    }

    func edit(_ fixture: GitFixture, _ path: String, _ change: (String) -> String, message: String) throws {
        let text = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
        try fixture.write(change(text), to: path)
        try fixture.commitAll(message)
    }

    @Test("create, no-op, update; a variable removed from the file is removed remotely, and so are all when the file has none")
    func variablesTriState() async throws {
        try await withExamples { emulator, fixture, specsync in
            let first = try await specsync(["sync", "--once", "--format", "json"])
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect((try ConnectionExamples.report(first)["created"] as? [String])?.sorted() == ["netsuite/production", "shopify/eu-store"])
            let production = try #require(await emulator.versoriStore.connection(connector: "netsuite", named: "production"))
            #expect(production.variables.map(\.name) == ["accountId", "subsidiary", "webhookSecret"])
            #expect(production.value(of: "webhookSecret") == ConnectionExamples.secrets["versori-netsuite-webhook-secret"])

            let second = try await specsync(["sync", "--once"])
            #expect(second.stdout.contains("0 created, 0 updated, 2 unchanged, 0 failed"), "\(second.stdout)")

            // One variable removed from the file: the PUT lists the rest, and the emulator drops it.
            let path = "Connections/versori/netsuite/production.json"
            try edit(fixture, path, {
                $0.replacingOccurrences(of: "    { \"name\": \"subsidiary\", \"value\": \"ACME Europe\" },\n", with: "")
            }, message: "no subsidiary")
            let third = try await specsync(["sync", "--once", "--format", "json"])
            #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
            #expect(try ConnectionExamples.report(third)["updated"] as? [String] == ["netsuite/production"])
            let afterRemoval = try #require(await emulator.versoriStore.connection(connector: "netsuite", id: production.id))
            #expect(afterRemoval.variables.map(\.name) == ["accountId", "webhookSecret"])
            #expect(afterRemoval.updatedAt > production.updatedAt)

            // No `variables` at all: Versori would keep them if the member were omitted; specsync sends [].
            let shopify = "Connections/versori/shopify/eu-store.json"
            try fixture.write(#"{"name": "eu-store", "credentials": {"action": []}}"#, to: shopify)
            try fixture.commitAll("eu-store without variables")
            let fourth = try await specsync(["sync", "--once"])
            #expect(fourth.status == 0, "\(fourth.stdout)\(fourth.stderr)")
            let store = try #require(await emulator.versoriStore.connection(connector: "shopify", named: "eu-store"))
            #expect(store.variables.isEmpty, "the variables are really gone remotely")
            let statistics = await emulator.store.statistics()
            #expect(statistics.count("POST", "versoriConnections", 200) == 2, "no connection was created twice")
            let state = try String(contentsOf: fixture.url.appendingPathComponent(".specsync/versori.state.json"), encoding: .utf8)
            // Each connection's latest updatedAt is its recorded revision.
            #expect(state.contains("\"revision\":\"\(afterRemoval.updatedAt)\""), "\(state)")
            #expect(state.contains("\"revision\":\"\(store.updatedAt)\""), "\(state)")
            ConnectionExamples.expectNoSecret(in: [first.stdout, first.stderr, third.stdout, fourth.stdout, state])
        }
    }

    @Test("a connection edited in Versori is refused with both updatedAt values; --force replaces it")
    func conflict() async throws {
        try await withExamples { emulator, fixture, specsync in
            #expect(try await specsync(["sync", "--once"]).status == 0)
            let store = try #require(await emulator.versoriStore.connection(connector: "shopify", named: "eu-store"))
            let edited = try await emulator.versoriStore.editOutOfBand(connector: "shopify", id: store.id, variable: "currency", value: "GBP")
            try edit(fixture, "Connections/versori/shopify/eu-store.json", { $0.replacingOccurrences(of: "acme-eu", with: "acme-europe") }, message: "domain")

            let refused = try await specsync(["sync", "--once", "--format", "json"])
            #expect(refused.status == 3, "\(refused.stdout)\(refused.stderr)")
            let reason = (try ConnectionExamples.report(refused)["failed"] as? [[String: Any]])?.first?["reason"] as? String
            #expect(reason?.contains("conflict: the remote Versori connection \(store.id) was changed outside git (updatedAt \(edited.updatedAt)") == true, "\(reason ?? refused.stdout)")
            #expect(reason?.contains("specsync last wrote it at updatedAt \(store.updatedAt)") == true)
            #expect(await emulator.versoriStore.connection(connector: "shopify", id: store.id)?.value(of: "currency") == "GBP")

            #expect(try await specsync(["sync", "--once", "--force"]).status == 0)
            let replaced = await emulator.versoriStore.connection(connector: "shopify", id: store.id)
            #expect(replaced?.value(of: "currency") == "EUR")
            #expect(replaced?.value(of: "shopDomain") == "acme-europe.myshopify.com")
        }
    }

    @Test("prune deletes a connection whose file left git (Versori has DELETE)")
    func prune() async throws {
        try await withExamples { emulator, fixture, specsync in
            #expect(try await specsync(["sync", "--once"]).status == 0)
            let config = try String(contentsOf: fixture.url.appendingPathComponent("versori.yaml"), encoding: .utf8)
            try fixture.write(config.replacingOccurrences(of: "enabled: false", with: "enabled: true"), to: "versori.yaml")
            try fixture.remove("Connections/versori/shopify/eu-store.json")
            try fixture.commitAll("retire the EU store")
            let result = try await specsync(["sync", "--once", "--format", "json"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(try ConnectionExamples.report(result)["pruned"] as? [String] == ["shopify/eu-store"])
            #expect(await emulator.versoriStore.connections(connector: "shopify").isEmpty)
            #expect(await emulator.versoriStore.connections(connector: "netsuite").count == 1)
        }
    }
}
