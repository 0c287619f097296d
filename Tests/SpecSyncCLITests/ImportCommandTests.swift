import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// Creates connection specs through the emulator's HTTP API, as another client (the Adobe console, a
/// colleague's script) would: IMS token, then `POST /connectionSpecs` with every required header.
struct EmulatorClient {
    let emulator: FlowServiceEmulator
    let configuration: EmulatorConfiguration

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func token() async throws -> String {
        var request = URLRequest(url: URL(string: try await emulator.baseURL + "/ims/token/v3")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let form = "client_id=\(configuration.clientID)&client_secret=\(configuration.clientSecret)&grant_type=client_credentials&scope=openid"
        request.httpBody = Data(form.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let token = object["access_token"] as? String else {
            throw Failure(description: "no token: \(String(decoding: data, as: UTF8.self))")
        }
        return token
    }

    /// POSTs `body` and returns the new spec's id.
    @discardableResult
    func create(_ body: String) async throws -> String {
        var request = URLRequest(url: URL(string: try await emulator.flowServiceURL + "/connectionSpecs")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(try await token())", forHTTPHeaderField: "Authorization")
        request.setValue(configuration.clientID, forHTTPHeaderField: "x-api-key")
        request.setValue(configuration.orgID, forHTTPHeaderField: "x-gw-ims-org-id")
        request.setValue(configuration.sandbox, forHTTPHeaderField: "x-sandbox-name")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 201,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let id = object["id"] as? String else {
            throw Failure(description: "create failed: \(String(decoding: data, as: UTF8.self))")
        }
        return id
    }
}

/// Repositories and runs of the real binary shared by the import and adopt tests.
enum CLIHarness {
    static let secret = "emulator-secret-\(UUID().uuidString)"

    static func emulatorConfiguration(contentPathAsString: Bool = false) -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = secret
        configuration.contentPathAsString = contentPathAsString
        return configuration
    }

    /// A repository with `bundles` (sample bundles) and a configuration pointing at `emulator`.
    static func repository(
        for emulator: FlowServiceEmulator, configuration: EmulatorConfiguration, bundles: [String] = [], extraConfiguration: String = ""
    ) async throws -> GitFixture {
        let fixture = try GitFixture()
        let target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "EMULATOR_CLIENT_SECRET", settings: ["concurrency: 2"])
        try fixture.write("\(extraConfiguration)\ntargets:\n" + target, to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        for bundle in bundles { try SampleBundle.write(bundle, in: fixture.directory) }
        try fixture.commitAll("start")
        return fixture
    }

    /// Runs the binary on a thread of its own: waiting for it on one of the few cooperative threads
    /// (two on a 2-core machine) could starve the in-process emulator while other suites do the same.
    static func specsync(_ arguments: [String], in fixture: GitFixture, environment: [String: String] = [:]) async throws -> ProcessResult {
        let environment = environment.merging(["EMULATOR_CLIENT_SECRET": secret]) { $1 }
        return try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: environment)
    }

    static func state(_ fixture: GitFixture) throws -> [String: Any] {
        let data = try Data(contentsOf: fixture.url.appendingPathComponent(".specsync/emulator.state.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static func record(_ fixture: GitFixture, _ bundle: String) throws -> [String: Any]? {
        (try state(fixture)["bundles"] as? [String: Any])?[bundle] as? [String: Any]
    }

    static func read(_ fixture: GitFixture, _ path: String) -> String? {
        try? String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
    }

    static func writes(_ emulator: FlowServiceEmulator) async -> Int {
        await emulator.store.statistics().writes
    }

    /// POST and PUT requests on connection specs the emulator saw, whatever their answer.
    static func writeRequests(_ emulator: FlowServiceEmulator) async -> Int {
        let statistics = await emulator.store.statistics()
        return statistics.total(method: "POST", kind: "connectionSpecs") + statistics.total(method: "PUT", kind: "connectionSpec")
    }
}

@Suite("specsync import", .serialized)
struct ImportCommandTests {
    /// A spec as `JSONValue.prettyPrinted()` prints it, so the imported file can be compared byte for byte.
    static let acmeSpec = """
        {
          "name": "Acme Orders",
          "description": "Orders from the Acme shop",
          "type": "generic-rest",
          "providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a",
          "version": "1.0",
          "authSpec": [
            {
              "name": "Basic Authentication",
              "type": "BasicAuthentication",
              "spec": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "object",
                "properties": {
                  "host": {
                    "type": "string"
                  },
                  "retries": {
                    "type": "number",
                    "default": 1.0
                  }
                }
              }
            }
          ],
          "sourceSpec": {
            "attributes": {
              "uiAttributes": {
                "isSource": true,
                "label": {
                  "text": "Acme Orders"
                },
                "description": {
                  "text": "Orders from the Acme shop"
                },
                "category": {
                  "key": "ecommerce"
                },
                "icon": {
                  "key": "acmeIcon"
                }
              },
              "urlParams": {
                "path": "/v1/orders",
                "method": "GET"
              },
              "contentPath": {
                "path": "$.orders",
                "skipAttributes": [
                  "_links"
                ]
              },
              "paginationParams": {
                "type": "OFFSET",
                "limitName": "limit",
                "limitValue": "100",
                "offSetName": "offset"
              }
            },
            "spec": {
              "type": "object",
              "properties": {}
            }
          },
          "exploreSpec": {
            "name": "Resource",
            "type": "Resource",
            "requestSpec": {
              "$schema": "http://json-schema.org/draft-07/schema#",
              "type": "object"
            },
            "responseSpec": {
              "$schema": "http: //json-schema.org/draft-07/schema#",
              "type": "object"
            }
          }
        }
        """

    static let artifacts = "Sources/acme-orders/Artifacts/acme-orders"

    func withRepository(
        contentPathAsString: Bool = false, bundles: [String] = [], extraConfiguration: String = "",
        _ body: (FlowServiceEmulator, EmulatorClient, GitFixture) async throws -> Void
    ) async throws {
        let configuration = CLIHarness.emulatorConfiguration(contentPathAsString: contentPathAsString)
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await CLIHarness.repository(
                for: emulator, configuration: configuration, bundles: bundles, extraConfiguration: extraConfiguration)
            defer { fixture.cleanUp() }
            try await body(emulator, EmulatorClient(emulator: emulator, configuration: configuration), fixture)
        }
    }

    @Test("import by name writes the spec without server fields, the sidecars from uiAttributes, and records it; it round-trips")
    func byName() async throws {
        try await withRepository { emulator, client, fixture in
            let id = try await client.create(Self.acmeSpec)
            let stored = try #require(await emulator.store.connectionSpec(id: id))
            #expect(stored[JSONPointer("/permissionsInfo")] != nil, "the emulator adds permissionsInfo")

            let result = try await CLIHarness.specsync(["import", "--name", "Acme Orders"], in: fixture)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(CLIHarness.read(fixture, Self.artifacts + "-connectionSpec.json") == Self.acmeSpec + "\n")
            let written = try JSONParser().parse(CLIHarness.read(fixture, Self.artifacts + "-connectionSpec.json") ?? "")
            for field in ReplacementBodyBuilder.serverOwnedFields + ["permissionsInfo"] {
                #expect(written.objectValue?[field] == nil, "\(field) must not be imported")
            }
            #expect(CLIHarness.read(fixture, Self.artifacts + "-label.txt") == "Acme Orders\n")
            #expect(CLIHarness.read(fixture, Self.artifacts + "-description.txt") == "Orders from the Acme shop\n")
            #expect(CLIHarness.read(fixture, Self.artifacts + "-category.txt") == "ecommerce\n")
            #expect(CLIHarness.read(fixture, Self.artifacts + "-icon.svg") == nil)
            #expect(result.stdout.contains("the icon is not imported: add \(Self.artifacts)-icon.svg by hand"))
            #expect(result.stdout.contains("Next: git add Sources/acme-orders && git commit -m 'Import Acme Orders from emulator'"))

            let state = try CLIHarness.state(fixture)
            #expect(state["lastSyncedCommit"] == nil)
            let record = try #require(try CLIHarness.record(fixture, "acme-orders"))
            #expect(record["id"] as? String == id)
            #expect(record["name"] as? String == "Acme Orders")
            #expect((record["bodyHash"] as? String)?.count == 64)
            #expect((record["createdAt"] as? NSNumber)?.stringValue == stored[JSONPointer("/createdAt")].map { String(decoding: $0.canonicalBytes, as: UTF8.self) })
            #expect((record["updatedAt"] as? NSNumber)?.stringValue == stored[JSONPointer("/updatedAt")].map { String(decoding: $0.canonicalBytes, as: UTF8.self) })
            #expect(await CLIHarness.writeRequests(emulator) == 1, "import only reads")

            // Round trip: commit the files; nothing is pending and a sync sends nothing.
            try fixture.commitAll("Import Acme Orders")
            let offline = try await CLIHarness.specsync(["plan", "--offline", "--detailed-exitcode"], in: fixture)
            #expect(offline.status == 0, "\(offline.stdout)\(offline.stderr)")
            #expect(offline.stdout.contains("Plan: 0 to create, 0 to update, 1 unchanged, 0 orphaned, 0 invalid."), "\(offline.stdout)")
            let online = try await CLIHarness.specsync(["plan", "--detailed-exitcode"], in: fixture)
            #expect(online.status == 0, "\(online.stdout)\(online.stderr)")
            let sync = try await CLIHarness.specsync(["sync", "--once"], in: fixture)
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            #expect(sync.stdout.contains("0 created, 0 updated, 1 unchanged, 0 failed"), "\(sync.stdout)")
            // A spec made outside specsync may still be added to the flow spec once; the spec itself is not written.
            #expect(await CLIHarness.writeRequests(emulator) == 1, "the sync sent no write to the spec")
        }
    }

    @Test("import by id of a reshaped spec (contentPath as a string) made by another repository's sync: round-trips, no write at all, last synced commit kept")
    func byIDReshaped() async throws {
        try await withRepository(contentPathAsString: true, bundles: ["alpha"]) { emulator, client, fixture in
            let first = try await CLIHarness.specsync(["sync", "--once"], in: fixture)
            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            let synced = try CLIHarness.state(fixture)["lastSyncedCommit"] as? String
            #expect(synced != nil)

            // Another repository, with its own state, creates "Beta Feed" through specsync.
            let other = try await CLIHarness.repository(for: emulator, configuration: emulator.configuration)
            defer { other.cleanUp() }
            try SampleBundle.write("beta-origin", name: "Beta Feed", in: other.directory)
            try other.commitAll("beta")
            let origin = try await CLIHarness.specsync(["sync", "--once"], in: other)
            #expect(origin.status == 0, "\(origin.stdout)\(origin.stderr)")
            let id = try #require(await emulator.store.connectionSpecs(named: "Beta Feed").first?[JSONPointer("/id")]?.stringValue)
            let writesBefore = await CLIHarness.writes(emulator)

            let result = try await CLIHarness.specsync(["import", "--id", id, "--bundle", "beta", "--format", "json"], in: fixture)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(report["bundle"] as? String == "beta")
            #expect(report["id"] as? String == id)
            #expect(report["written"] as? [String] == ["connectionSpec.json", "label.txt", "description.txt", "category.txt"].map { "Sources/beta/Artifacts/beta-\($0)" })
            #expect((report["skipped"] as? [Any])?.isEmpty == true)
            #expect(report["icon"] is NSNull)

            let spec = try JSONParser().parse(CLIHarness.read(fixture, "Sources/beta/Artifacts/beta-connectionSpec.json") ?? "")
            #expect(spec[JSONPointer("/sourceSpec/attributes/contentPath")] == .string("$.members"), "written as the server returned it")
            #expect(spec[JSONPointer("/id")] == nil && spec[JSONPointer("/permissionsInfo")] == nil)
            #expect(CLIHarness.read(fixture, "Sources/beta/Artifacts/beta-label.txt") == "beta-origin label\n")
            #expect(CLIHarness.read(fixture, "Sources/beta/Artifacts/beta-description.txt") == "beta-origin description\n")
            #expect(CLIHarness.read(fixture, "Sources/beta/Artifacts/beta-category.txt") == "marketingAutomation\n")
            #expect(try CLIHarness.state(fixture)["lastSyncedCommit"] as? String == synced, "import does not move the diff base")
            #expect(try CLIHarness.record(fixture, "beta")?["id"] as? String == id)

            try fixture.commitAll("Import Beta Feed")
            let plan = try await CLIHarness.specsync(["plan", "--offline", "--detailed-exitcode"], in: fixture)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            #expect(plan.stdout.contains("Plan: 0 to create, 0 to update, 2 unchanged, 0 orphaned, 0 invalid."), "\(plan.stdout)")
            let sync = try await CLIHarness.specsync(["sync", "--once"], in: fixture)
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            #expect(sync.stdout.contains("0 created, 0 updated, 2 unchanged, 0 failed"), "\(sync.stdout)")
            let requests = await emulator.store.statistics().requests
            #expect(await CLIHarness.writes(emulator) == writesBefore, "the sync sent no write: \(requests)")
        }
    }

    @Test("a description only at the top level is not written as a sidecar (it would add uiAttributes.description); password values are flagged")
    func descriptionSidecarSkipped() async throws {
        try await withRepository { emulator, client, fixture in
            let spec = SampleBundle.spec(name: "Delta Feed")
                .replacingOccurrences(of: #""format": "password"}"#, with: #""format": "password", "default": "hunter2"}"#)
            try await client.create(spec)
            let result = try await CLIHarness.specsync(["import", "--name", "Delta Feed"], in: fixture)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("· skipped  Sources/delta-feed/Artifacts/delta-feed-description.txt: from /description: specsync would add /sourceSpec/attributes/uiAttributes/description"), "\(result.stdout)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.path + "/Sources/delta-feed/Artifacts") == ["delta-feed-connectionSpec.json"])
            #expect(result.stdout.contains("warning: the spec holds values for password properties at /authSpec/0/spec/properties/password/default"), "\(result.stdout)")
            try fixture.commitAll("Import Delta Feed")
            let plan = try await CLIHarness.specsync(["plan", "--offline", "--detailed-exitcode"], in: fixture)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        }
    }

    @Test("an existing bundle folder is not overwritten without --force; with it, stale sidecars go and the icon stays")
    func overwrite() async throws {
        try await withRepository(bundles: ["gamma"]) { emulator, client, fixture in
            let id = try await client.create(SampleBundle.spec(name: "Gamma Remote", path: "/3.0/remote"))
            let specPath = "Sources/gamma/Artifacts/gamma-connectionSpec.json"
            let before = CLIHarness.read(fixture, specPath)

            let refused = try await CLIHarness.specsync(["import", "--id", id, "--bundle", "gamma"], in: fixture)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("Sources/gamma already exists"), "\(refused.stderr)")
            #expect(refused.stderr.contains("--force"))
            #expect(CLIHarness.read(fixture, specPath) == before)
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.specsync/emulator.state.json"))

            let forced = try await CLIHarness.specsync(["import", "--id", id, "--bundle", "gamma", "--force"], in: fixture)
            #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
            #expect(CLIHarness.read(fixture, specPath)?.contains("/3.0/remote") == true)
            for kind in ["label", "description", "category"] {
                #expect(CLIHarness.read(fixture, "Sources/gamma/Artifacts/gamma-\(kind).txt") == nil, "a stale \(kind) would fill the body")
                #expect(forced.stdout.contains("- removed  Sources/gamma/Artifacts/gamma-\(kind).txt"))
            }
            #expect(CLIHarness.read(fixture, "Sources/gamma/Artifacts/gamma-icon.svg") == SampleBundle.icon)
            #expect(!forced.stdout.contains("the icon is not imported"))

            try fixture.commitAll("Import Gamma Remote over gamma")
            let plan = try await CLIHarness.specsync(["plan", "--offline", "--detailed-exitcode"], in: fixture)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            #expect(await CLIHarness.writeRequests(emulator) == 1)
        }
    }

    @Test("a name several remote specs share is refused with their ids; nothing is written")
    func ambiguousName() async throws {
        try await withRepository { emulator, client, fixture in
            let first = try await client.create(SampleBundle.spec(name: "Twin"))
            let second = try await client.create(SampleBundle.spec(name: "Twin"))
            let result = try await CLIHarness.specsync(["import", "--name", "Twin"], in: fixture)
            #expect(result.status == 1)
            #expect(result.stderr.contains("2 connection specs are named 'Twin'"), "\(result.stderr)")
            #expect(result.stderr.contains(first) && result.stderr.contains(second))
            #expect(result.stderr.contains("--id"))
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/Sources"))
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.specsync/emulator.state.json"))
        }
    }

    @Test("an unknown id or name is an error that says so")
    func unknown() async throws {
        try await withRepository { emulator, client, fixture in
            try await client.create(SampleBundle.spec(name: "Present"))
            let byID = try await CLIHarness.specsync(["import", "--id", "00000000-0000-0000-0000-000000000000"], in: fixture)
            #expect(byID.status == 1)
            #expect(byID.stderr.contains("no connection spec with id 00000000-0000-0000-0000-000000000000"), "\(byID.stderr)")
            let byName = try await CLIHarness.specsync(["import", "--name", "present"], in: fixture)
            #expect(byName.status == 1)
            #expect(byName.stderr.contains("no connection spec is named 'present'"), "\(byName.stderr)")
            let neither = try await CLIHarness.specsync(["import"], in: fixture)
            #expect(neither.status != 0)
            #expect(neither.stderr.contains("give exactly one of --name NAME or --id ID"))
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/Sources"))
        }
    }

    @Test("a bare repository is refused: there is no work tree to write into")
    func bareRepository() async throws {
        try await withRepository { emulator, client, fixture in
            try await client.create(SampleBundle.spec(name: "Present"))
            let bare = try fixture.bareClone()
            defer { bare.remove() }
            let result = try await CLIHarness.specsync(
                ["import", "--name", "Present"], in: fixture, environment: ["SPECSYNC_REPOSITORY_PATH": bare.path + "/repo.git"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("is bare: import writes files into a work tree"), "\(result.stderr)")
        }
    }
}
