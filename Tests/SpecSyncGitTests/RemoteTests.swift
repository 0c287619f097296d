import CLibgit2
import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

@Suite struct RemoteTests {
    @Test func cloneBareThenFetchNewCommits() async throws {
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let first = try upstream.revParse("HEAD")
        let target = try TemporaryDirectory()
        defer { target.remove() }
        let clonePath = target.path + "/mirror.git"

        let repository = try await GitRepository.cloneBare(
            url: "file://" + upstream.path, to: clonePath, credentials: nil)
        #expect(repository.path == clonePath)
        #expect(await repository.isBare)
        #expect(try await repository.resolveCommit("origin/main") == first)
        #expect(try await repository.resolveCommit("HEAD") == first)

        try upstream.write("Alpha v2\n", to: "Sources/alpha/Artifacts/alpha-label.txt")
        let second = try upstream.revParse(try upstream.commitAll("second"))
        #expect(await repository.containsObject(second) == false)

        try await repository.fetch(credentials: nil)
        #expect(try await repository.resolveCommit("origin/main") == second)
        #expect(await repository.containsObject(second))
        let deltas = try await repository.diff(from: first, to: second, paths: ["Sources/"])
        #expect(deltas.map(\.newPath) == ["Sources/alpha/Artifacts/alpha-label.txt"])

        // A force-push: origin/main moves to an unrelated history; fetch follows (the refspec has '+').
        try upstream.git("checkout", "-q", "--orphan", "rewritten")
        try upstream.write("new world\n", to: "README.md")
        let rewritten = try upstream.revParse(try upstream.commitAll("rewritten"))
        try upstream.git("branch", "-f", "main", "rewritten")
        try await repository.fetch(remote: "origin", credentials: nil)
        #expect(try await repository.resolveCommit("origin/main") == rewritten)
        #expect(try await repository.isAncestor(second, of: rewritten) == false)
    }

    @Test func fetchWithExplicitRefspec() async throws {
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        try upstream.git("branch", "release")
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.git("remote", "add", "upstream", upstream.path)

        let repository = try GitRepository(path: fixture.path)
        try await repository.fetch(
            remote: "upstream", refspecs: ["+refs/heads/release:refs/remotes/upstream/release"], credentials: nil)
        #expect(try await repository.resolveCommit("upstream/release") == (try upstream.revParse("release")))
        #expect(throws: ProcessFailure.self) {
            try fixture.git("rev-parse", "--verify", "-q", "refs/remotes/upstream/main")
        }
    }

    @Test func fetchFromAnUnknownRemoteNamesIt() async throws {
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        let repository = try GitRepository(path: fixture.path)
        let error = try await #require(throws: GitError.self) {
            try await repository.fetch(remote: "nowhere", credentials: nil)
        }
        #expect(error.operation == "fetch from remote 'nowhere'")
        #expect(error.message.contains("nowhere"))
    }

    @Test func cloneFailureIsReportedWithoutSecrets() async throws {
        let target = try TemporaryDirectory()
        defer { target.remove() }
        let secret = "s3cr3t-t0ken"
        let url = "file:///nonexistent/specsync-\(UUID().uuidString)"
        let error = try await #require(throws: GitError.self) {
            _ = try await GitRepository.cloneBare(
                url: url, to: target.path + "/clone.git", credentials: .token(username: "bot", token: secret))
        }
        #expect(error.operation == "clone \(url) into '\(target.path)/clone.git'")
        #expect(!error.message.isEmpty)
        #expect(!String(reflecting: error).contains(secret))
        #expect(!error.description.contains(secret))
    }

    @Test func credentialsNeverShowTheirSecrets() {
        let token = GitCredentials.token(username: "bot", token: "ghp_supersecret")
        let key = GitCredentials.sshKey(
            username: "git", privateKeyPath: "/keys/id_ed25519", publicKeyPath: nil, passphrase: "hunter2")
        for text in [
            String(describing: token), String(reflecting: token), "\(token)", String(describing: [token]),
            String(describing: Mirror(reflecting: token).children.map(\.value)),
        ] {
            #expect(!text.contains("ghp_supersecret"))
        }
        #expect(String(describing: token) == "token for 'bot'")
        #expect(!String(reflecting: key).contains("hunter2"))
        #expect(String(describing: key) == "ssh key /keys/id_ed25519 for 'git' (with passphrase)")
        #expect(token.secrets == ["ghp_supersecret"])
    }

    @Test func errorsAreScrubbedOfSecretsAndURLPasswords() {
        let error = GitError(
            operation: "clone https://bot:ghp_abc@example.com/repo.git into '/x'", code: -1, errorClass: 12,
            message: "failed to reach https://bot:ghp_abc@example.com/repo.git with ghp_abc")
        let clean = error.redacting(["ghp_abc"])
        #expect(!clean.description.contains("ghp_abc"))
        #expect(clean.message == "failed to reach https://bot:***@example.com/repo.git with ***")
        #expect(GitURL.strippingUserInfo("ssh://git@example.com/x.git") == "ssh://git@example.com/x.git")
    }

    /// The credential callback gives up after three rejected attempts instead of looping forever.
    @Test func credentialAttemptsAreCapped() {
        let provider = CredentialProvider(.token(username: "bot", token: "t0k"))
        var results: [Int32] = []
        for _ in 0..<4 { results.append(Self.acquire(provider)) }
        #expect(results == [0, 0, 0, -16])  // GIT_EAUTH on the fourth call
        #expect(provider.attempts == 4)
        let explained = provider.finish(
            GitError(
                operation: "fetch from remote 'origin'", code: -1, errorClass: 34,
                message: "too many redirects or authentication replays"))
        #expect(explained.isAuthentication)
        #expect(explained.message.contains("rejected the token for 'bot' 3 times"))
        #expect(!explained.description.contains("t0k"))
    }

    private static func acquire(_ provider: CredentialProvider) -> Int32 {
        GitLibrary.ensureInitialized()
        var credential: UnsafeMutablePointer<git_credential>?
        let result = provider.acquire(
            &credential, allowedTypes: GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue,
            url: "https://bot:t0k@example.com/repo.git")
        if let credential { git_credential_free(credential) }
        return result
    }
}
