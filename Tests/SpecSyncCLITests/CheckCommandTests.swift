import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// `specsync check`, the real binary against the emulator: everything passes, then each way the
/// service's first pass would fail is one failing line that names the check and what to do.
@Suite("specsync check", .serialized)
struct CheckCommandTests {
    static let secret = "check-secret-\(UUID().uuidString)"
    static let missingFlowSpec = "00000000-0000-4000-8000-00000000dead"

    static func emulatorConfiguration() -> EmulatorConfiguration {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = secret
        return configuration
    }

    /// A repository with one bundle and a configuration for the emulator; `edit` rewrites the
    /// target's YAML (another secret source, another port, another flow spec).
    func withRepository(
        edit: @escaping (String) -> String = { $0 },
        _ body: (FlowServiceEmulator, GitFixture, [String: String]) async throws -> Void
    ) async throws {
        try await withFlowServiceEmulator(Self.emulatorConfiguration()) { emulator in
            let fixture = try GitFixture()
            defer { fixture.cleanUp() }
            try SampleBundle.write("acme", in: fixture.directory)
            let target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "CHECK_SECRET")
            try fixture.write("targets:\n" + edit(target), to: "specsync.yaml")
            try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
            try fixture.commitAll("one bundle")
            try await body(emulator, fixture, ["CHECK_SECRET": Self.secret])
        }
    }

    struct Report {
        let result: ProcessResult
        let checks: [[String: Any]]
        let object: [String: Any]

        var failed: [[String: Any]] { checks.filter { $0["status"] as? String == "failed" } }
    }

    func check(_ fixture: GitFixture, environment: [String: String]) async throws -> (text: ProcessResult, json: Report) {
        let text = try await SpecSyncBinary.execute(["check"], in: fixture.url, environment: environment)
        let json = try await SpecSyncBinary.execute(["check", "--format", "json"], in: fixture.url, environment: environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)\(json.stderr)")
        let checks = try #require(object["checks"] as? [[String: Any]])
        for output in [text.stdout, text.stderr, json.stdout, json.stderr] {
            #expect(!output.contains(Self.secret), "the client secret leaked")
        }
        return (text, Report(result: json, checks: checks, object: object))
    }

    /// The lines of the text output that report a failure.
    func failedLines(_ result: ProcessResult) -> [String] {
        result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("✗") }
    }

    @Test("against the emulator every check passes: secret, token, API, flow spec, repository")
    func allGood() async throws {
        try await withRepository { emulator, fixture, environment in
            let before = await emulator.store.statistics()
            let (text, json) = try await check(fixture, environment: environment)
            #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
            #expect(json.result.status == 0)
            #expect(json.object["formatVersion"] as? Int == 1)
            #expect(json.object["ok"] as? Bool == true)
            let names = json.checks.map { $0["check"] as? String ?? "?" }
            #expect(names == ["configuration", "secret", "token", "api", "flow spec", "repository"], "\(json.checks)")
            #expect(json.checks.allSatisfy { $0["status"] as? String == "ok" }, "\(json.checks)")
            #expect(text.stdout.contains("✓ target emulator, secret: flowService.clientSecret is read from environment variable CHECK_SECRET"), "\(text.stdout)")
            #expect(text.stdout.contains("6499120c-0b15-42dc-936e-847ea3c24d72"), "\(text.stdout)")
            #expect(text.stdout.contains("6 checks, 0 failed"), "\(text.stdout)")
            // Read-only: two runs sent GETs and token requests, nothing else.
            let after = await emulator.store.statistics()
            #expect(after.count("POST", "connectionSpecs", 201) == before.count("POST", "connectionSpecs", 201))
            #expect(after.count("PUT", "flowSpec", 200) == before.count("PUT", "flowSpec", 200))
            #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.specsync"), "check wrote a state")
        }
    }

    @Test("a wrong client secret: the token check fails and says to check clientId and the secret")
    func wrongSecret() async throws {
        try await withRepository { _, fixture, _ in
            let (text, json) = try await check(fixture, environment: ["CHECK_SECRET": "not-the-secret"])
            #expect(text.status == 1)
            #expect(json.failed.map { $0["check"] as? String } == ["token"], "\(json.checks)")
            let lines = failedLines(text)
            #expect(lines.count == 1, "\(text.stdout)")
            #expect(lines.first?.contains("IMS refused the client credentials (HTTP 401") == true, "\(text.stdout)")
            #expect(lines.first?.contains("check clientId and the client secret") == true, "\(text.stdout)")
            #expect(!text.stdout.contains("not-the-secret"))
        }
    }

    @Test("a credential file that is missing: the secret check fails and names the credential")
    func missingCredential() async throws {
        let credentials = try TemporaryDirectory(prefix: "specsync-credentials")
        defer { credentials.remove() }
        try await withRepository(edit: { $0.replacingOccurrences(of: "{env: CHECK_SECRET}", with: "{credential: ims-client-secret}") }) { _, fixture, _ in
            let (text, json) = try await check(fixture, environment: ["CREDENTIALS_DIRECTORY": credentials.path])
            #expect(text.status == 1)
            #expect(json.failed.map { $0["check"] as? String } == ["secret"], "\(json.checks)")
            let lines = failedLines(text)
            #expect(lines.count == 1, "\(text.stdout)")
            #expect(lines.first?.contains("credential 'ims-client-secret' cannot be read from \(credentials.path)") == true, "\(text.stdout)")
            #expect(lines.first?.contains("LoadCredential=ims-client-secret:PATH") == true, "\(text.stdout)")
            #expect(text.stdout.contains("- target emulator, token: not requested"), "\(text.stdout)")
        }
    }

    @Test("a closed port: the token check fails with the connection error and says to check imsURL")
    func closedPort() async throws {
        let port = try Self.closedPort()
        try await withRepository { emulator, fixture, environment in
            let base = try await emulator.baseURL
            try fixture.write("targets:\n" + (try await emulator.targetConfiguration(name: "emulator", secretVariable: "CHECK_SECRET"))
                .replacingOccurrences(of: base, with: "http://127.0.0.1:\(port)"), to: "specsync.yaml")
            let (text, json) = try await check(fixture, environment: environment)
            #expect(text.status == 1)
            #expect(json.failed.map { $0["check"] as? String } == ["token"], "\(json.checks)")
            let lines = failedLines(text)
            #expect(lines.count == 1, "\(text.stdout)")
            #expect(lines.first?.contains("127.0.0.1:\(port)") == true, "\(text.stdout)")
            #expect(lines.first?.contains("check imsURL and the network") == true, "\(text.stdout)")
            #expect(lines.first?.contains("transportFailure") == false, "an enum name reached the user: \(text.stdout)")
        }
    }

    @Test("a flow spec that does not exist: the flow spec check fails and names the setting")
    func missingFlowSpec() async throws {
        try await withRepository(edit: { $0 + "      flowSpecId: \(Self.missingFlowSpec)\n" }) { _, fixture, environment in
            let (text, json) = try await check(fixture, environment: environment)
            #expect(text.status == 1)
            #expect(json.failed.map { $0["check"] as? String } == ["flow spec"], "\(json.checks)")
            let lines = failedLines(text)
            #expect(lines.count == 1, "\(text.stdout)")
            #expect(lines.first?.contains("\(Self.missingFlowSpec) does not exist in sandbox prod") == true, "\(text.stdout)")
            #expect(lines.first?.contains("check flowService.flowSpecId") == true, "\(text.stdout)")
        }
    }

    /// A loopback port that nothing listens on: bound, read, closed.
    static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
