import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

/// Clone and fetch over ssh from a real OpenSSH sshd on loopback, with specsync's own known_hosts check
/// (`repository.knownHosts`) and credential handling. In CI a missing openssh-server fails these.
@Suite(.serialized, .enabled(if: SSHServer.shouldRun, "needs openssh-server"), .timeLimit(.minutes(5)))
struct SSHRemoteTests {
    /// A served bare repository, client keys, a running sshd that accepts `authorized`, for `body`.
    static func withServer(
        authorized: [String] = ["ed25519"],
        _ body: (SSHServer, _ repository: String, _ keys: String, _ upstream: GitFixture) async throws -> Void
    ) async throws {
        try #require(SSHServer.isInstalled, "\(SSHServer.missing)")
        let upstream = try Fixtures.connectorRepository()
        defer { upstream.cleanUp() }
        let served = try upstream.bareClone()
        defer { served.remove() }
        let keys = try TemporaryDirectory(prefix: "specsync-keys")
        defer { keys.remove() }
        for type in ["ed25519", "rsa"] { try SSHServer.keygen(type: type, at: keys.path + "/id_\(type)") }
        try SSHServer.keygen(type: "ed25519", at: keys.path + "/id_stranger")
        let server = try SSHServer(authorizedKeys: authorized.map { keys.path + "/id_\($0).pub" })
        defer { server.stop() }
        try await body(server, served.path + "/repo.git", keys.path, upstream)
    }

    static func key(_ name: String, in keys: String, user: String) -> GitCredentials {
        .sshKey(username: user, privateKeyPath: keys + "/id_\(name)", publicKeyPath: keys + "/id_\(name).pub", passphrase: nil)
    }

    static func knownHosts(_ text: String) throws -> (KnownHosts, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "specsync-known")
        let file = try directory.write(text, to: "known_hosts")
        return (try KnownHosts(path: file.path), directory)
    }

    @Test("an ed25519 key and a known_hosts entry for [127.0.0.1]:port: clone and fetch work")
    func cloneAndFetch() async throws {
        try await Self.withServer { server, repository, keys, upstream in
            let (knownHosts, folder) = try Self.knownHosts("# specsync\n" + server.knownHostsLine)
            defer { folder.remove() }
            let target = try TemporaryDirectory()
            defer { target.remove() }
            let mirror = RepositoryMirror(
                url: server.url(repository), path: target.path + "/repository.git",
                credentials: Self.key("ed25519", in: keys, user: server.user),
                network: GitNetworkOptions(knownHosts: knownHosts))
            let clone = try await mirror.open(fetch: true)
            #expect(try await clone.resolveCommit("origin/main") == upstream.revParse("HEAD"), "\(server.log)")

            try upstream.write("Beta v2\n", to: "Sources/beta/Artifacts/beta-label.txt")
            let second = try upstream.revParse(try upstream.commitAll("second"))
            try upstream.git("push", "-q", repository, "main")
            let fetched = try await mirror.open(fetch: true)
            #expect(try await fetched.resolveCommit("origin/main") == second)
        }
    }

    @Test("a hashed known_hosts entry (ssh-keygen -H) is matched")
    func hashedEntry() async throws {
        try await Self.withServer { server, repository, keys, upstream in
            let folder = try TemporaryDirectory(prefix: "specsync-known")
            defer { folder.remove() }
            let file = try folder.write(server.knownHostsLine, to: "known_hosts").path
            try ProcessRunner.checked("/usr/bin/ssh-keygen", ["-q", "-H", "-f", file])
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.hasPrefix("|1|") && !text.contains("127.0.0.1"), "the entry is hashed: \(text)")
            let target = try TemporaryDirectory()
            defer { target.remove() }
            let clone = try await GitRepository.cloneBare(
                url: server.url(repository), to: target.path + "/c.git",
                credentials: Self.key("ed25519", in: keys, user: server.user),
                network: GitNetworkOptions(knownHosts: try KnownHosts(path: file)))
            #expect(try await clone.resolveCommit("origin/main") == upstream.revParse("HEAD"))
        }
    }

    @Test("a host missing from known_hosts is refused as unknown, naming the file and the fingerprint")
    func unknownHost() async throws {
        try await Self.withServer { server, repository, keys, _ in
            let (knownHosts, folder) = try Self.knownHosts("[127.0.0.1]:1 \(server.hostKey)\nexample.org \(server.hostKey)\n")
            defer { folder.remove() }
            let target = try TemporaryDirectory()
            defer { target.remove() }
            let error = try await #require(throws: GitError.self) {
                _ = try await GitRepository.cloneBare(
                    url: server.url(repository), to: target.path + "/c.git",
                    credentials: Self.key("ed25519", in: keys, user: server.user),
                    network: GitNetworkOptions(knownHosts: knownHosts))
            }
            #expect(error.message.contains("the ssh host key of [127.0.0.1]:\(server.port) (SHA256:"), "\(error)")
            #expect(error.message.contains("is unknown: \(knownHosts.path) (repository.knownHosts)"))
            #expect(error.message.contains("ssh-keyscan -p \(server.port) -t ed25519 127.0.0.1"))
        }
    }

    @Test("a host listed with another key is refused as CHANGED, naming the file and the line")
    func changedKey() async throws {
        try await Self.withServer { server, repository, keys, _ in
            let other = try SSHServer.publicKey(keys + "/id_stranger.pub")
            let (knownHosts, folder) = try Self.knownHosts("# first line\n[127.0.0.1]:\(server.port) \(other)\n")
            defer { folder.remove() }
            let target = try TemporaryDirectory()
            defer { target.remove() }
            let error = try await #require(throws: GitError.self) {
                _ = try await GitRepository.cloneBare(
                    url: server.url(repository), to: target.path + "/c.git",
                    credentials: Self.key("ed25519", in: keys, user: server.user),
                    network: GitNetworkOptions(knownHosts: knownHosts))
            }
            #expect(error.message.contains("CHANGED"), "\(error)")
            #expect(error.message.contains("\(knownHosts.path) lists for it (line 2)"))
        }
    }

    @Test("a key the server does not accept is tried once, and the message names it")
    func refusedKey() async throws {
        try await Self.withServer { server, repository, keys, _ in
            let (knownHosts, folder) = try Self.knownHosts(server.knownHostsLine)
            defer { folder.remove() }
            let target = try TemporaryDirectory()
            defer { target.remove() }
            let error = try await #require(throws: GitError.self) {
                _ = try await GitRepository.cloneBare(
                    url: server.url(repository), to: target.path + "/c.git",
                    credentials: Self.key("stranger", in: keys, user: server.user),
                    network: GitNetworkOptions(knownHosts: knownHosts))
            }
            #expect(error.isAuthentication, "\(error)")
            #expect(error.message.contains("refused the ssh key \(keys)/id_stranger for '\(server.user)'"), "\(error)")
            #expect(!error.message.contains("Failed to retrieve list"))
        }
    }

    @Test("an RSA key refused by OpenSSH 9 is explained: SHA-1 signatures, use ed25519")
    func rsaKey() async throws {
        try await Self.withServer(authorized: ["ed25519", "rsa"]) { server, repository, keys, upstream in
            let (knownHosts, folder) = try Self.knownHosts(server.knownHostsLine)
            defer { folder.remove() }
            let target = try TemporaryDirectory()
            defer { target.remove() }
            // Debian 12's libssh2 1.10 signs with ssh-rsa (SHA-1), which its OpenSSH 9.2 refuses.
            let error = try await #require(throws: GitError.self) {
                _ = try await GitRepository.cloneBare(
                    url: server.url(repository), to: target.path + "/c.git",
                    credentials: Self.key("rsa", in: keys, user: server.user),
                    network: GitNetworkOptions(knownHosts: knownHosts))
            }
            #expect(error.message.contains("refused the RSA ssh key \(keys)/id_rsa"), "\(error)\n\(server.log)")
            #expect(error.message.contains("SHA-1") && error.message.contains("ed25519"))
            #expect(server.log.contains("ssh-rsa") || server.log.contains("signature algorithm"), "sshd says why: \(server.log)")
            _ = upstream
        }
    }

    @Test("a private key that cannot be read is named, with what to do")
    func unreadableKey() async throws {
        try await Self.withServer { server, repository, keys, _ in
            let (knownHosts, folder) = try Self.knownHosts(server.knownHostsLine)
            defer { folder.remove() }
            let target = try TemporaryDirectory()
            defer { target.remove() }
            let missing = GitCredentials.sshKey(
                username: server.user, privateKeyPath: keys + "/id_missing", publicKeyPath: keys + "/id_ed25519.pub",
                passphrase: nil)
            let error = try await #require(throws: GitError.self) {
                _ = try await GitRepository.cloneBare(
                    url: server.url(repository), to: target.path + "/c.git", credentials: missing,
                    network: GitNetworkOptions(knownHosts: knownHosts))
            }
            #expect(error.message.contains("cannot read the ssh private key \(keys)/id_missing"), "\(error)")
            #expect(!error.message.contains("Unable to open private key file"))
        }
    }
}
