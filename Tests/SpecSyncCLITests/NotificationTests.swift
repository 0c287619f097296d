import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// Notifications after `sync --once`: receivers on loopback get signed JSON and Slack messages,
/// hear each thing once, never see a secret, and a receiver that never answers costs its timeout.
@Suite("notifications", .serialized)
struct NotificationTests {
    static let spec = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"

    /// The example repository for `emulator`, its client secret in $HOSTILE_CLIENT_SECRET so that
    /// `HostileNetworkTests.specsync` (which kills a hung run) can run it; `notifications` appended.
    static func repository(for emulator: FlowServiceEmulator, notifications: String) async throws -> GitFixture {
        let fixture = try GitFixture()
        for entry in try FileManager.default.contentsOfDirectory(atPath: SyncCommandTests.examples.path) {
            try FileManager.default.copyItem(at: SyncCommandTests.examples.appendingPathComponent(entry),
                                             to: fixture.url.appendingPathComponent(entry))
        }
        let target = try await emulator.targetConfiguration(name: "emulator", secretVariable: "HOSTILE_CLIENT_SECRET", settings: [])
        try fixture.write("targets:\n" + target + notifications, to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        try fixture.commitAll("examples")
        return fixture
    }

    static func withEmulator(_ body: (FlowServiceEmulator) async throws -> Void) async throws {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = HostileNetworkTests.secret
        try await withFlowServiceEmulator(configuration, body)
    }

    /// HMAC-SHA256 of `body` computed by Python's standard library, not by the code under test.
    static func hmac(_ body: Data, key: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("notify-body-\(UUID().uuidString)")
        try body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = "import hmac,hashlib,sys; print(hmac.new(sys.argv[1].encode(), open(sys.argv[2],'rb').read(), hashlib.sha256).hexdigest())"
        return try ProcessRunner.checked("python3", ["-c", script, key, file.path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func json(_ request: NotificationReceiverServer.Request) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
    }

    @Test("a signed webhook and a Slack message: a bundle that starts failing is told once, its recovery once; no secret anywhere")
    func signedPayloads() async throws {
        let hooks = try NotificationReceiverServer(mode: .ok)
        defer { hooks.stop() }
        let slack = try NotificationReceiverServer(mode: .ok)
        defer { slack.stop() }
        let key = "notify-key-\(UUID().uuidString)"
        let slackToken = "slacktoken\(UUID().uuidString.replacingOccurrences(of: "-", with: ""))"
        let notifications = """
            notifications:
              hooks:
                type: webhook
                url: \(hooks.baseURL)/specsync
                secret: {env: NOTIFY_KEY}
                events: [bundle-failed, recovered]
              chat:
                type: slack
                url: {env: SLACK_URL}
                events: [bundle-failed]

            """
        try await Self.withEmulator { emulator in
            let fixture = try await Self.repository(for: emulator, notifications: notifications)
            defer { fixture.cleanUp() }
            let good = try String(contentsOf: fixture.url.appendingPathComponent(Self.spec), encoding: .utf8)
            try fixture.write("{ \"name\": ", to: Self.spec)
            try fixture.commitAll("break acme-orders")
            let environment = ["NOTIFY_KEY": key, "SLACK_URL": "\(slack.baseURL)/services/T000/B000/\(slackToken)",
                               "HOSTILE_CLIENT_SECRET": HostileNetworkTests.secret]
            func sync() async throws -> ProcessResult {
                try await SpecSyncBinary.execute(["sync", "--once", "--log-level", "debug"], in: fixture.url, environment: environment)
            }

            let first = try await sync()
            #expect(first.status == 3, "the invalid bundle decides the exit code, not the notification: \(first.stdout)\(first.stderr)")
            try #require(hooks.requests.count == 1, "\(hooks.requests.map(\.text))\n\(first.stderr)")
            let request = hooks.requests[0]
            #expect(request.method == "POST" && request.path == "/specsync")
            #expect(request.header("Content-Type") == "application/json")
            let signature = try #require(request.header("X-Specsync-Signature"))
            #expect(signature == "sha256=" + (try Self.hmac(request.body, key: key)), "the signature verifies with the key")
            #expect(signature != "sha256=" + (try Self.hmac(request.body + Data(" ".utf8), key: key)), "and not for another body")
            let payload = try Self.json(request)
            #expect(payload["target"] as? String == "emulator")
            #expect(payload["events"] as? [String] == ["bundle-failed"])
            let items = try #require(payload["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["event"] as? String == "bundle-failed")
            #expect(items.first?["bundle"] as? String == "acme-orders")
            #expect((items.first?["reason"] as? String)?.isEmpty == false)

            try #require(slack.requests.count == 1)
            #expect(slack.requests[0].path == "/services/T000/B000/\(slackToken)")
            #expect(slack.requests[0].header("X-Specsync-Signature") == nil, "a Slack hook is not signed")
            let text = try #require(try Self.json(slack.requests[0])["text"] as? String)
            #expect(text.contains("bundle-failed") && text.contains("acme-orders"), "\(text)")

            // Still failing, for the same reason: nothing new to tell.
            let second = try await sync()
            #expect(second.status == 3)
            #expect(hooks.requests.count == 1, "\(hooks.requests.map(\.text))")

            try fixture.write(good, to: Self.spec)
            try fixture.commitAll("repair acme-orders")
            let third = try await sync()
            #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
            try #require(hooks.requests.count == 2)
            let recovered = try Self.json(hooks.requests[1])
            #expect(recovered["events"] as? [String] == ["recovered"])
            #expect((recovered["items"] as? [[String: Any]])?.first?["bundle"] as? String == "acme-orders")
            #expect(hooks.requests[1].header("X-Specsync-Signature") == "sha256=" + (try Self.hmac(hooks.requests[1].body, key: key)))
            #expect(slack.requests.count == 1, "chat did not ask for recovered")

            let secrets = [key, slackToken, HostileNetworkTests.secret]
            let places = hooks.requests.map(\.text) + slack.requests.map(\.text) + [first, second, third].flatMap { [$0.stdout, $0.stderr] }
            for secret in secrets { #expect(!places.contains { $0.contains(secret) }, "a secret leaked") }
        }
    }

    @Test("an API that echoes the token: the pass-failed notification reads (sensitive), and the receiver's echo is never logged")
    func noSecretInPayload() async throws {
        let server = try HostileServer(ims: "ok", api: "echo-authorization")
        defer { server.stop() }
        let receiver = try NotificationReceiverServer(mode: .echo(status: 503))
        defer { receiver.stop() }
        let fixture = try HostileNetworkTests.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let configuration = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
        try fixture.write(configuration + """
            notifications:
              hooks:
                type: webhook
                url: \(receiver.baseURL)/specsync
                retries: 1
                timeout: 5s

            """, to: "specsync.yaml")
        let run = try await HostileNetworkTests.sync(fixture)
        HostileNetworkTests.expectClearFailure(run, status: 1, fixture: fixture, server: server, "echoed token, notified")
        #expect(receiver.requests.count == 2, "a 503 is retried once: \(run.stderr)")
        let payload = try Self.json(try #require(receiver.requests.first))
        #expect(payload["events"] as? [String] == ["pass-failed"])
        let reason = try #require((payload["items"] as? [[String: Any]])?.first?["reason"] as? String)
        #expect(reason.contains("Bearer (sensitive)"), "\(reason)")
        let tokens = server.issuedTokens()
        #expect(!tokens.isEmpty)
        for body in receiver.requests.map(\.text) {
            for secret in tokens + [HostileNetworkTests.secret] { #expect(!body.contains(secret), "a secret in the payload: \(body)") }
        }
        #expect(!run.stderr.contains("user-agent: specsync"), "the receiver's answer (an echo of the request) is not logged")
        #expect(run.stderr.contains("notification not delivered"), "\(run.stderr)")
    }

    @Test("a receiver that accepts and never answers: it sees every retry, and sync --once still finishes with its own exit code")
    func deadReceiver() async throws {
        let receiver = try NotificationReceiverServer(mode: .silent)
        defer { receiver.stop() }
        try await Self.withEmulator { emulator in
            let fixture = try await Self.repository(for: emulator, notifications: """
                notifications:
                  dead:
                    type: webhook
                    url: \(receiver.baseURL)/specsync
                    timeout: 3s
                    retries: 2

                """)
            defer { fixture.cleanUp() }
            try fixture.write("{ \"name\": ", to: Self.spec)
            try fixture.commitAll("break acme-orders")
            let run = try await HostileNetworkTests.specsync(["sync", "--once"], in: fixture, limit: 120)
            #expect(!run.hung, "still running after 120 s: the dead receiver held the run")
            #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("1 invalid") || run.stdout.contains("acme-orders"), "the report came first: \(run.stdout)")
            #expect(receiver.requests.count == 3, "three attempts within the timeout: \(receiver.requests.count)")
            // Generous: the timeout is 3 s; the bound only catches a send that waits for an answer forever.
            #expect(run.seconds < 60, "took \(run.seconds) s")
        }
    }

    @Test("a receiver that redirects is not followed: the signed body never reaches another host, and the run is unaffected")
    func noRedirects() async throws {
        let elsewhere = try NotificationReceiverServer(mode: .ok)
        defer { elsewhere.stop() }
        let redirecting = try NotificationReceiverServer(mode: .redirect("\(elsewhere.baseURL)/stolen"))
        defer { redirecting.stop() }
        try await Self.withEmulator { emulator in
            let fixture = try await Self.repository(for: emulator, notifications: """
                notifications:
                  hooks:
                    type: webhook
                    url: \(redirecting.baseURL)/specsync
                    secret: {env: NOTIFY_KEY}

                """)
            defer { fixture.cleanUp() }
            try fixture.write("{ \"name\": ", to: Self.spec)
            try fixture.commitAll("break acme-orders")
            let run = try await SpecSyncBinary.execute(
                ["sync", "--once"], in: fixture.url,
                environment: ["NOTIFY_KEY": "notify-key-\(UUID().uuidString)", "HOSTILE_CLIENT_SECRET": HostileNetworkTests.secret])
            #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
            #expect(redirecting.requests.count == 1, "a 3xx is an answer, not a reason to retry")
            #expect(elsewhere.requests.isEmpty, "the redirect was followed: \(elsewhere.requests.map(\.path))")
            #expect(run.stderr.contains("notification rejected by its receiver"), "\(run.stderr)")
        }
    }

    @Test("notification settings are checked like every other key: an unknown event names the line and the known ones")
    func badSettings() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try SampleBundle.write("alpha", in: directory)
        try directory.write("""
            notifications:
              hooks:
                type: webhook
                url: http://127.0.0.1:9/hook
                events: [pass-failed, everything]

            """, to: "specsync.yaml")
        let result = try SpecSyncBinary.run(["validate"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("specsync.yaml:5:"), "\(result.stderr)")
        #expect(result.stderr.contains("unknown event 'everything'") && result.stderr.contains("recovered"), "\(result.stderr)")

        try directory.write("notifications:\n  chat:\n    type: slack\n    url: {env: SLACK_URL}\n    secret: {env: KEY}\n", to: "specsync.yaml")
        let slack = try SpecSyncBinary.run(["validate"], in: directory.url)
        #expect(slack.status == 1)
        #expect(slack.stderr.contains("a slack receiver has no signature"), "\(slack.stderr)")
    }
}
