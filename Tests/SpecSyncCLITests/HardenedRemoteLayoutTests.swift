import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// `sync --once` against real ssh and https git servers laid out as the hardened unit has it: no
/// `$HOME/.ssh`, and the known_hosts file, the ssh key, the CA and the token handed over as systemd
/// credentials (`{credential: NAME}`, files in `$CREDENTIALS_DIRECTORY`), not as paths into /run.
@Suite("remote repositories on the hardened unit's layout", .serialized, .timeLimit(.minutes(2)))
struct HardenedRemoteLayoutTests {
    /// A folder shaped like `$CREDENTIALS_DIRECTORY` (0700, files 0400), and an empty home.
    static func credentials(_ files: [String: String]) throws -> (credentials: TemporaryDirectory, home: TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "specsync-credentials")
        for (name, contents) in files {
            let file = try directory.write(contents, to: name)
            try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: file.path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        return (directory, try TemporaryDirectory(prefix: "specsync-home"))
    }

    func specsync(_ arguments: [String], in runner: TemporaryDirectory, _ environment: [String: String]) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(
            arguments, in: runner.url, environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret].merging(environment) { $1 })
    }

    @Test("ssh: the known_hosts file and the ed25519 key come from credentials; without $CREDENTIALS_DIRECTORY the run says which setting needs it")
    func sshFromCredentials() async throws {
        try #require(SSHServer.shouldRun, "\(SSHServer.missing)")
        try await SyncCommandTests.withExampleRepository { _, upstream in
            let served = try upstream.bareClone()
            defer { served.remove() }
            let keys = try TemporaryDirectory(prefix: "specsync-keys")
            defer { keys.remove() }
            try SSHServer.keygen(type: "ed25519", at: keys.path + "/id_ed25519")
            let server = try SSHServer(authorizedKeys: [keys.path + "/id_ed25519.pub"])
            defer { server.stop() }
            let (credentials, home) = try Self.credentials([
                "known-hosts": server.knownHostsLine,
                "git-ssh-key": try String(contentsOfFile: keys.path + "/id_ed25519", encoding: .utf8),
                "git-ssh-key.pub": try String(contentsOfFile: keys.path + "/id_ed25519.pub", encoding: .utf8),
            ])
            defer { credentials.remove(); home.remove() }
            let runner = try RemoteRepositoryTests.runner(for: upstream, repositoryYAML: """
                  url: \(server.url(served.path + "/repo.git"))
                  ref: origin/main
                  knownHosts: {credential: known-hosts}
                  credentials:
                    username: \(server.user)
                    sshKey: {privateKey: {credential: git-ssh-key}, publicKey: {credential: git-ssh-key.pub}}
                """)
            defer { runner.remove() }

            let synced = try await specsync(["sync", "--once", "--format", "json"], in: runner,
                                            ["CREDENTIALS_DIRECTORY": credentials.path, "HOME": home.path])
            #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)\(server.log)")
            #expect((try RemoteRepositoryTests.report(synced)["created"] as? [String])?.count == 3)

            let bare = try await specsync(["sync", "--once"], in: runner, ["HOME": home.path])
            #expect(bare.status == 1)
            #expect(bare.stderr.contains("repository.credentials.sshKey.privateKey is credential 'git-ssh-key', but $CREDENTIALS_DIRECTORY is not set"), "\(bare.stderr)")
            #expect(bare.stderr.contains("LoadCredential=git-ssh-key:PATH"), "\(bare.stderr)")
        }
    }

    @Test("https: the private CA and the token come from credentials; the token is never printed")
    func httpsFromCredentials() async throws {
        try #require(HTTPSGitServer.shouldRun, "\(HTTPSGitServer.missing)")
        try await SyncCommandTests.withExampleRepository { _, upstream in
            let served = try upstream.bareClone()
            defer { served.remove() }
            let token = "tls-token-\(UUID().uuidString)"
            let server = try HTTPSGitServer(root: served.path, username: "bot", token: token)
            defer { server.stop() }
            let (credentials, home) = try Self.credentials([
                "git-ca": try String(contentsOfFile: server.caFile, encoding: .utf8), "git-token": token + "\n",
            ])
            defer { credentials.remove(); home.remove() }
            let runner = try RemoteRepositoryTests.runner(for: upstream, repositoryYAML: """
                  url: \(server.url("repo.git"))
                  ref: origin/main
                  caFile: {credential: git-ca}
                  credentials: {username: bot, token: {credential: git-token}}
                """)
            defer { runner.remove() }

            let synced = try await specsync(["sync", "--once", "--format", "json", "--log-level", "debug"], in: runner,
                                            ["CREDENTIALS_DIRECTORY": credentials.path, "HOME": home.path])
            #expect(synced.status == 0, "\(synced.stdout)\(synced.stderr)\(server.log)")
            #expect((try RemoteRepositoryTests.report(synced)["created"] as? [String])?.count == 3)
            #expect(!(synced.stdout + synced.stderr).contains(token))

            // A credential that is not there: the setting and the folder are named.
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: credentials.path + "/git-ca")
            try FileManager.default.removeItem(atPath: credentials.path + "/git-ca")
            let missing = try await specsync(["sync", "--once"], in: runner, ["CREDENTIALS_DIRECTORY": credentials.path, "HOME": home.path])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("repository.caFile is credential 'git-ca', which is not a readable file in \(credentials.path)"), "\(missing.stderr)")
        }
    }
}
