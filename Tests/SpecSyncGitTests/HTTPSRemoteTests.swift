import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

/// Clone and fetch over https from nginx + git-http-backend with basic auth and a private CA
/// (`repository.caFile`). libgit2 holds one CA set per process, so these run one at a time and each sets
/// the file it needs. In CI missing packages fail these.
@Suite(.serialized, .enabled(if: HTTPSGitServer.shouldRun, "needs nginx-light, fcgiwrap, openssl"), .timeLimit(.minutes(5)))
struct HTTPSRemoteTests {
    static let token = GitCredentials.token(username: "bot", token: "tls-token-\(UUID().uuidString)")

    static func withServer(_ body: (HTTPSGitServer, GitFixture, TemporaryDirectory) async throws -> Void) async throws {
        try #require(HTTPSGitServer.isInstalled, "\(HTTPSGitServer.missing)")
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let served = try upstream.bareClone()
        defer { served.remove() }
        guard case .token(let username, let secret) = token else { return }
        let server = try HTTPSGitServer(root: served.path, username: username, token: secret)
        defer { server.stop() }
        let target = try TemporaryDirectory()
        defer { target.remove() }
        try await body(server, upstream, target)
    }

    @Test("with repository.caFile naming the private CA, clone and fetch over https with a token work")
    func trustedByCAFile() async throws {
        try await Self.withServer { server, upstream, target in
            let mirror = RepositoryMirror(
                url: server.url("repo.git"), path: target.path + "/repository.git", credentials: Self.token,
                network: GitNetworkOptions(caFile: server.caFile))
            let clone = try await mirror.open(fetch: true)
            #expect(try await clone.resolveCommit("origin/main") == upstream.revParse("HEAD"), "\(server.log)")
            let fetched = try await mirror.open(fetch: true)
            #expect(try await fetched.resolveCommit("origin/main") == upstream.revParse("HEAD"))
        }
    }

    @Test("a certificate from a CA that is not in caFile is 'not trusted', and the message names the file")
    func untrusted() async throws {
        try await Self.withServer { server, _, target in
            let error = try await #require(throws: GitError.self) {
                _ = try await GitRepository.cloneBare(
                    url: server.url("repo.git"), to: target.path + "/c.git", credentials: Self.token,
                    network: GitNetworkOptions(caFile: server.otherCAFile))
            }
            #expect(error.message.contains("the https certificate of localhost is not trusted"), "\(error)")
            #expect(error.message.contains("\(server.otherCAFile) (repository.caFile)"))
        }
    }

    @Test("an https URL with an IP address is refused with the reason and what to do")
    func ipAddress() async throws {
        try await Self.withServer { server, _, target in
            let error = try await #require(throws: GitError.self) {
                _ = try await GitRepository.cloneBare(
                    url: server.url("repo.git", host: "127.0.0.1"), to: target.path + "/c.git", credentials: Self.token,
                    network: GitNetworkOptions(caFile: server.caFile))
            }
            #expect(error.message.contains("cannot match a certificate against an IP address"), "\(error)")
            #expect(error.message.contains("use a host name that the certificate names"))
        }
    }
}
