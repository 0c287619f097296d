import SpecSyncHTTPEndpoints
import Testing

@Suite("Webhook endpoint")
struct WebhookEndpointTests {
    static let verifier = WebhookVerifier(secret: WebhookSigning.gitHubDocsSecret)

    @Test func aCorrectlySignedGitHubHookIsAcceptedAndTriggers() async throws {
        try await StatusServerHarness.run(webhook: Self.verifier) { harness in
            let reply = try await harness.send(
                "POST", "/hooks/git",
                headers: [("Content-Type", "application/json"), ("X-GitHub-Event", "push"),
                          ("X-Hub-Signature-256", WebhookSigning.pushSignature)],
                body: Array(WebhookSigning.pushBody.utf8))
            #expect(reply.status == 202)
            #expect(reply.text == #"{"status":"accepted"}"#)
            #expect(try await harness.hooks.waitFor(count: 1) == ["github"])

            let metrics = try await harness.scrape()
            #expect(metrics.value("specsync_webhooks_total", ["result": "accepted"]) == 1)
            #expect(metrics.value("specsync_webhooks_total", ["result": "rejected"]) == 0)
        }
    }

    @Test func aWrongSignatureIs401() async throws {
        try await StatusServerHarness.run(webhook: Self.verifier) { harness in
            let reply = try await harness.send(
                "POST", "/hooks/git",
                headers: [("X-GitHub-Delivery", "d-1"), ("X-Hub-Signature-256", WebhookSigning.gitHubDocsSignature)],
                body: Array(WebhookSigning.pushBody.utf8))
            #expect(reply.status == 401)
            #expect(reply.text == #"{"error":"signature mismatch"}"#)
            try await Self.expectRejectedOnly(harness)

            // Logged with a constant message and metadata, never with the secret or the signature.
            let rejected = harness.logs.all.filter { $0.message == "webhook rejected" }
            #expect(rejected.count == 1)
            #expect(rejected.first?.metadata["webhook.reason"] == "signature mismatch")
            #expect(rejected.first?.metadata["webhook.delivery"] == "d-1")
            #expect(rejected.first?.metadata["http.remote"] == "127.0.0.1")
            for record in harness.logs.all {
                #expect(!record.flattened.contains(WebhookSigning.gitHubDocsSecret))
                #expect(!record.flattened.contains(String(WebhookSigning.gitHubDocsSignature.dropFirst(7).prefix(16))))
            }
        }
    }

    @Test func anUnsignedHookIs401() async throws {
        try await StatusServerHarness.run(webhook: Self.verifier) { harness in
            let reply = try await harness.send(
                "POST", "/hooks/git", headers: [("X-GitHub-Event", "push")], body: Array(WebhookSigning.pushBody.utf8))
            #expect(reply.status == 401)
            #expect(reply.text.hasPrefix(#"{"error":"unsigned"#))
            try await Self.expectRejectedOnly(harness)
        }
    }

    @Test func gitLabWithTheRightTokenIsAccepted() async throws {
        try await StatusServerHarness.run(webhook: Self.verifier) { harness in
            let reply = try await harness.send(
                "POST", "/hooks/git",
                headers: [("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", WebhookSigning.gitHubDocsSecret)],
                body: Array(#"{"object_kind":"push"}"#.utf8))
            #expect(reply.status == 202)
            #expect(try await harness.hooks.waitFor(count: 1) == ["gitlab"])
        }
    }

    @Test func gitLabWithAWrongTokenIs401() async throws {
        try await StatusServerHarness.run(webhook: Self.verifier) { harness in
            let reply = try await harness.send(
                "POST", "/hooks/git", headers: [("X-Gitlab-Token", "guess")], body: Array(#"{"object_kind":"push"}"#.utf8))
            #expect(reply.status == 401)
            #expect(reply.text == #"{"error":"token mismatch"}"#)
            try await Self.expectRejectedOnly(harness)
        }
    }

    @Test func withoutAVerifierTheRouteIs404() async throws {
        try await StatusServerHarness.run(webhook: nil) { harness in
            let reply = try await harness.send(
                "POST", "/hooks/git", headers: [("X-Hub-Signature-256", WebhookSigning.pushSignature)],
                body: Array(WebhookSigning.pushBody.utf8))
            #expect(reply.status == 404)
            #expect(reply.text == #"{"error":"webhook not configured"}"#)
            #expect(await harness.hooks.providers.isEmpty)
        }
    }

    @Test func aBodyOverOneMebibyteIs413() async throws {
        try await StatusServerHarness.run(webhook: Self.verifier) { harness in
            let reply = try await harness.send(
                "POST", "/hooks/git", headers: [("X-Gitlab-Token", WebhookSigning.gitHubDocsSecret)],
                body: [UInt8](repeating: UInt8(ascii: "a"), count: (1 << 20) + 1))
            #expect(reply.status == 413)
            try await Self.expectRejectedOnly(harness)

            // Far over the limit: the answer comes before the upload ends, and still arrives.
            let huge = try await harness.send(
                "POST", "/hooks/git", headers: [("X-Gitlab-Token", WebhookSigning.gitHubDocsSecret)],
                body: [UInt8](repeating: UInt8(ascii: "a"), count: 16 << 20))
            #expect(huge.status == 413)

            // The server still answers afterwards, and a body of exactly the limit is read whole.
            let atLimit = try await harness.send(
                "POST", "/hooks/git", headers: [("X-Gitlab-Token", WebhookSigning.gitHubDocsSecret)],
                body: [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20))
            #expect(atLimit.status == 202)
        }
    }

    @Test func manyHooksInARowAllReachTheCallbackInOrder() async throws {
        try await StatusServerHarness.run(webhook: Self.verifier) { harness in
            for index in 0..<5 {
                let provider = index.isMultiple(of: 2) ? "github" : "gitlab"
                let headers = provider == "github"
                    ? [("X-Hub-Signature-256", WebhookSigning.pushSignature)]
                    : [("X-Gitlab-Token", WebhookSigning.gitHubDocsSecret)]
                let reply = try await harness.send("POST", "/hooks/git", headers: headers, body: Array(WebhookSigning.pushBody.utf8))
                #expect(reply.status == 202)
            }
            #expect(try await harness.hooks.waitFor(count: 5) == ["github", "gitlab", "github", "gitlab", "github"])
        }
    }

    /// One rejected hook counted, none accepted, and the callback never called.
    static func expectRejectedOnly(_ harness: StatusServerHarness) async throws {
        let metrics = try await harness.scrape()
        #expect(metrics.value("specsync_webhooks_total", ["result": "rejected"]) == 1)
        #expect(metrics.value("specsync_webhooks_total", ["result": "accepted"]) == 0)
        #expect(await harness.hooks.providers.isEmpty)
    }
}
