import SpecSyncHTTPEndpoints
import Testing

@Suite("WebhookVerifier")
struct WebhookVerifierTests {
    let verifier = WebhookVerifier(secret: WebhookSigning.gitHubDocsSecret)

    private func verify(_ headers: [(String, String)], _ body: String) -> WebhookVerifier.Verdict {
        verifier.verify(headers: headers.map { (name: $0.0, value: $0.1) }, body: Array(body.utf8))
    }

    @Test func acceptsGitHubsDocumentedExample() {
        let verdict = verify([("X-Hub-Signature-256", WebhookSigning.gitHubDocsSignature)], WebhookSigning.gitHubDocsBody)
        #expect(verdict == .accepted(provider: "github"))
    }

    @Test func acceptsTheTextbookVector() {
        let verdict = WebhookVerifier(secret: "key").verify(
            headers: [(name: "x-hub-signature-256", value: WebhookSigning.foxSignature)],
            body: Array("The quick brown fox jumps over the lazy dog".utf8))
        #expect(verdict == .accepted(provider: "github"))
    }

    @Test func matchesHeaderNamesAndHexCaseInsensitively() {
        let upper = "sha256=" + WebhookSigning.pushSignature.dropFirst("sha256=".count).uppercased()
        #expect(verify([("x-HUB-signature-256", upper)], WebhookSigning.pushBody) == .accepted(provider: "github"))
    }

    @Test func rejectsASignatureOfAnotherBody() {
        let verdict = verify([("X-Hub-Signature-256", WebhookSigning.gitHubDocsSignature)], WebhookSigning.pushBody)
        #expect(verdict == .rejected(reason: "signature mismatch"))
    }

    @Test func rejectsASignatureMadeWithAnotherSecret() {
        let verdict = WebhookVerifier(secret: "not the secret").verify(
            headers: [(name: "X-Hub-Signature-256", value: WebhookSigning.gitHubDocsSignature)],
            body: Array(WebhookSigning.gitHubDocsBody.utf8))
        #expect(verdict == .rejected(reason: "signature mismatch"))
    }

    @Test(arguments: [
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",  // no prefix
        "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",  // odd length
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e",  // short
        "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        "sha256=",
    ])
    func rejectsMalformedSignatures(_ signature: String) {
        guard case .rejected(let reason) = verify([("X-Hub-Signature-256", signature)], WebhookSigning.gitHubDocsBody)
        else {
            Issue.record("accepted \(signature)")
            return
        }
        #expect(reason.hasPrefix("malformed"))
    }

    @Test func rejectsUnsignedHooksIncludingSHA1Only() {
        for headers in [[], [("X-Hub-Signature", "sha1=0123")], [("X-GitHub-Event", "push")]] {
            guard case .rejected(let reason) = verify(headers, WebhookSigning.gitHubDocsBody) else {
                Issue.record("accepted \(headers)")
                continue
            }
            #expect(reason.hasPrefix("unsigned"))
        }
    }

    @Test func acceptsTheGitLabTokenAndNothingElse() {
        #expect(verify([("X-Gitlab-Token", WebhookSigning.gitHubDocsSecret)], "{}") == .accepted(provider: "gitlab"))
        #expect(verify([("x-gitlab-token", WebhookSigning.gitHubDocsSecret)], "{}") == .accepted(provider: "gitlab"))
        for wrong in ["", "It's a Secret to Everybod", "It's a Secret to Everybody!", "it's a secret to everybody"] {
            #expect(verify([("X-Gitlab-Token", wrong)], "{}") == .rejected(reason: "token mismatch"))
        }
    }

    @Test func gitHubSignatureTakesPrecedenceOverAGitLabToken() {
        let verdict = verify(
            [("X-Gitlab-Token", WebhookSigning.gitHubDocsSecret), ("X-Hub-Signature-256", WebhookSigning.pushSignature)],
            WebhookSigning.gitHubDocsBody)
        #expect(verdict == .rejected(reason: "signature mismatch"))
    }

    @Test func anEmptySecretAcceptsNothing() {
        let empty = WebhookVerifier(secret: "")
        #expect(empty.verify(headers: [(name: "X-Gitlab-Token", value: "")], body: []) != .accepted(provider: "gitlab"))
    }

    @Test func neverPrintsTheSecret() {
        let secret = WebhookSigning.gitHubDocsSecret
        #expect(String(describing: verifier) == "(sensitive)")
        #expect(!String(reflecting: verifier).contains(secret))
        #expect(!"\(verifier)".contains(secret))
        var dumped = ""
        dump(verifier, to: &dumped)
        #expect(!dumped.contains(secret))
    }
}
