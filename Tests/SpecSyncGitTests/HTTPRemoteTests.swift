import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

/// Clone and fetch over smart HTTP with basic auth, through libgit2's real credential callback.
@Suite(.enabled(if: GitHTTPServer.isAvailable, "needs python3 and git-http-backend"))
struct HTTPRemoteTests {
    @Test func cloneAndFetchWithAToken() async throws {
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let served = try upstream.bareClone()
        defer { served.remove() }
        let server = try GitHTTPServer(root: served.path, username: "bot", token: "right-token")
        defer { server.stop() }
        let target = try TemporaryDirectory()
        defer { target.remove() }

        let credentials = GitCredentials.token(username: "bot", token: "right-token")
        let repository = try await GitRepository.cloneBare(
            url: server.url("repo.git"), to: target.path + "/clone.git", credentials: credentials)
        #expect(try await repository.resolveCommit("origin/main") == (try upstream.revParse("HEAD")))
        #expect(server.rejectedRequests == 1)  // the first, anonymous request; then the token is used

        try upstream.write("Beta v2\n", to: "Sources/beta/Artifacts/beta-label.txt")
        let second = try upstream.revParse(try upstream.commitAll("second"))
        try upstream.git("push", "-q", served.path + "/repo.git", "main")
        try await repository.fetch(credentials: credentials)
        #expect(try await repository.resolveCommit("origin/main") == second)
    }

    @Test func aWrongTokenGivesUpAfterThreeAttemptsAndIsNeverShown() async throws {
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let served = try upstream.bareClone()
        defer { served.remove() }
        let server = try GitHTTPServer(root: served.path, username: "bot", token: "right-token")
        defer { server.stop() }
        let target = try TemporaryDirectory()
        defer { target.remove() }

        let wrong = GitCredentials.token(username: "bot", token: "wrong-token-123")
        let error = try await #require(throws: GitError.self) {
            _ = try await GitRepository.cloneBare(
                url: server.url("repo.git"), to: target.path + "/c.git", credentials: wrong)
        }
        #expect(error.isAuthentication)
        #expect(error.message.contains("rejected the token for 'bot' 3 times"))
        #expect(!String(reflecting: error).contains("wrong-token-123"))
        #expect(server.rejectedRequests == 4)  // anonymous + three tries

        // No credentials at all: libgit2's own error, and no endless retry.
        let anonymous = try await #require(throws: GitError.self) {
            _ = try await GitRepository.cloneBare(
                url: server.url("repo.git"), to: target.path + "/d.git", credentials: nil)
        }
        #expect(anonymous.operation.hasPrefix("clone http://127.0.0.1:"))
        #expect(!anonymous.message.isEmpty)
    }

    @Test func aPasswordInTheURLIsNotShown() async throws {
        let target = try TemporaryDirectory()
        defer { target.remove() }
        let server = try GitHTTPServer(root: target.path, username: "bot", token: "right-token")
        defer { server.stop() }
        let url = "http://bot:url-secret@127.0.0.1:\(server.port)/missing.git"
        let error = try await #require(throws: GitError.self) {
            _ = try await GitRepository.cloneBare(url: url, to: target.path + "/x.git", credentials: nil)
        }
        #expect(!String(reflecting: error).contains("url-secret"))
        #expect(error.operation.contains("http://bot:***@127.0.0.1"))
    }
}
