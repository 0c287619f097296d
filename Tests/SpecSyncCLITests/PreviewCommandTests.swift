import Foundation
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// `specsync preview`, the real binary against the emulator's sample API on loopback.
@Suite("specsync preview")
struct PreviewCommandTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/examples/Sources")
    static let sample = SampleAPIConfiguration()

    static func preview(_ bundle: String, input: String, extra: [String] = [], environment: [String: String] = [:]) async throws -> ProcessResult {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(Data(input.utf8), to: "input.json")
        return try await withSampleAPI(sample) { server in
            try await SpecSyncBinary.execute(
                ["preview", Self.examples.appendingPathComponent(bundle).path, "--input", "input.json", "--origin", try await server.baseURL] + extra,
                in: directory.url, environment: environment)
        }
    }

    static func report(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    @Test("the three example bundles bring back their records; JSON has the documented members")
    func examples() async throws {
        let members = try await Self.preview("mailchimp-members", input: """
            {"auth": {"type": "BasicAuthentication", "domain": "us21", "username": "demo", "password": "\(Self.sample.mailchimpAPIKey)"},
             "params": {"listId": "demo-list"}}
            """, extra: ["--format", "json"])
        #expect(members.status == 0, "\(members.stderr)")
        let report = try Self.report(members)
        #expect(report["formatVersion"] as? Int == 1)
        #expect(report["pages"] as? Int == 3)
        #expect(report["recordCount"] as? Int == 250)
        #expect((report["sample"] as? [Any])?.count == 5)
        #expect((report["schema"] as? [String: Any])?["type"] as? String == "object")
        #expect((report["diagnostics"] as? [Any])?.isEmpty == true)

        let campaigns = try await Self.preview("mailchimp-campaigns", input: """
            {"auth": {"type": "OAuth2RefreshCode", "domain": "us21", "accessToken": "\(Self.sample.mailchimpAccessToken)"}}
            """, extra: ["--format", "json"])
        #expect(campaigns.status == 0, "\(campaigns.stderr)")
        #expect(try Self.report(campaigns)["recordCount"] as? Int == 120)

        let orders = try await Self.preview("acme-orders/Artifacts/acme-orders-connectionSpec.json", input: """
            {"auth": {"type": "BasicAuthentication", "domain": "shop", "username": "\(Self.sample.acmeUsername)", "password": "\(Self.sample.acmePassword)"}}
            """)
        #expect(orders.status == 0, "\(orders.stderr)")
        #expect(orders.stdout.contains("5 pages fetched, 230 records from"), "\(orders.stdout)")
        #expect(orders.stdout.contains("  updated_at: string (date-time)\n"), "\(orders.stdout)")
        #expect(orders.stdout.contains("  total: number\n"))
    }

    @Test("secrets from $(env:) and $(cred:) never reach the output, not even inside a URL or a header's encoding")
    func secretsMasked() async throws {
        let credentials = try TemporaryDirectory()
        defer { credentials.remove() }
        try credentials.write(Data("\(Self.sample.mailchimpAPIKey)\n".utf8), to: "mailchimp-key")
        for format in ["text", "json"] {
            let result = try await Self.preview("mailchimp-members", input: """
                {"auth": {"type": "BasicAuthentication", "domain": "us21", "username": "demo", "password": "$(cred:mailchimp-key)"},
                 "params": {"listId": "$(env:PREVIEW_LIST)"}}
                """, extra: ["--format", format], environment: ["CREDENTIALS_DIRECTORY": credentials.url.path, "PREVIEW_LIST": "demo-list"])
            #expect(result.status == 0, "\(result.stderr)")
            let output = result.stdout + result.stderr
            #expect(!output.contains(Self.sample.mailchimpAPIKey))
            #expect(!output.contains(Data("demo:\(Self.sample.mailchimpAPIKey)".utf8).base64EncodedString()))
            #expect(!output.contains("demo-list"), "a resolved reference is a secret wherever it shows")
            #expect(output.contains("/3.0/lists/(sensitive)/members"))
        }
    }

    @Test("a trap exits 1 with the spec file, the JSON pointer and what was seen; a missing reference names the input member")
    func failures() async throws {
        let trap = try await Self.preview("mailchimp-members", input: """
            {"auth": {"type": "BasicAuthentication", "domain": "us21", "username": "demo", "password": "\(Self.sample.mailchimpAPIKey)"}, "params": {"listId": "renamed-list"}}
            """)
        #expect(trap.status == 1)
        #expect(trap.stdout.contains("mailchimp-members-connectionSpec.json#/sourceSpec/attributes/contentPath/path: error: contentPath $.members matched nothing on page 1; the response's top-level keys are data, paging"), "\(trap.stdout)")

        let unresolved = try await Self.preview("mailchimp-members", input: """
            {"auth": {"type": "BasicAuthentication", "username": "demo", "password": "$(env:NOT_SET_ANYWHERE)"}}
            """)
        #expect(unresolved.status == 1)
        #expect(unresolved.stderr.contains("input.json#/auth/password: $(env:NOT_SET_ANYWHERE) is not defined"), "\(unresolved.stderr)")

        let badInput = try await Self.preview("mailchimp-members", input: #"{"auth": {"username": "x"}}"#)
        #expect(badInput.status == 1)
        #expect(badInput.stderr.contains("input.json#/auth: auth needs a type"), "\(badInput.stderr)")

        let usage = try await Self.preview("mailchimp-members", input: "{}", extra: ["--max-pages", "0"])
        #expect(usage.status == 64)
    }
}
