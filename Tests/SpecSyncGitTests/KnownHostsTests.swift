import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

/// specsync's own known_hosts reader, on lines as OpenSSH writes them.
@Suite struct KnownHostsTests {
    static let keyA = Data((0..<51).map { UInt8($0) }).base64EncodedString()
    static let keyB = Data((0..<51).map { UInt8(255 - $0) }).base64EncodedString()

    static func sha(_ key: String) -> [UInt8] {
        KnownHosts(path: "k", text: "h ssh-ed25519 \(key)\n").entries[0].keySHA256
    }

    @Test("plain, [host]:port, wildcard and negated entries")
    func patterns() {
        let file = KnownHosts(
            path: "/etc/specsync/known_hosts",
            text: """
                # comment
                git.example.org,10.0.0.5 ssh-ed25519 \(Self.keyA) ops@example
                [git.example.org]:2222 ssh-ed25519 \(Self.keyB)
                *.internal,!secret.internal ssh-ed25519 \(Self.keyA)
                @cert-authority *.example.org ssh-ed25519 \(Self.keyB)

                """)
        #expect(file.verdict(host: "git.example.org", port: 22, keySHA256: Self.sha(Self.keyA)) == .trusted)
        #expect(file.verdict(host: "GIT.example.org", port: 22, keySHA256: Self.sha(Self.keyA)) == .trusted)
        #expect(file.verdict(host: "git.example.org", port: 2222, keySHA256: Self.sha(Self.keyB)) == .trusted)
        #expect(file.verdict(host: "git.example.org", port: 2222, keySHA256: Self.sha(Self.keyA)) == .changed(lines: [3]))
        #expect(file.verdict(host: "git.example.org", port: 22, keySHA256: Self.sha(Self.keyB)) == .changed(lines: [2]))
        #expect(file.verdict(host: "build.internal", port: 22, keySHA256: Self.sha(Self.keyA)) == .trusted)
        #expect(file.verdict(host: "secret.internal", port: 22, keySHA256: Self.sha(Self.keyA)) == .unknown)
        #expect(file.verdict(host: "other.example.org", port: 22, keySHA256: Self.sha(Self.keyB)) == .unknown)
    }

    @Test("@revoked wins over a matching entry")
    func revoked() {
        let file = KnownHosts(
            path: "k", text: "host ssh-ed25519 \(Self.keyA)\n@revoked * ssh-ed25519 \(Self.keyA)\n")
        #expect(file.verdict(host: "host", port: 22, keySHA256: Self.sha(Self.keyA)) == .revoked(line: 2))
    }

    @Test("an entry hashed by ssh-keygen -H matches its host and port only")
    func hashed() throws {
        try #require(SSHServer.isInstalled || ProcessInfo.processInfo.environment["CI"] != "true", "\(SSHServer.missing)")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen") else { return }
        let folder = try TemporaryDirectory(prefix: "specsync-known")
        defer { folder.remove() }
        try SSHServer.keygen(type: "ed25519", at: folder.path + "/key")
        let key = try SSHServer.publicKey(folder.path + "/key.pub")
        let file = try folder.write("[127.0.0.1]:2222 \(key)\n", to: "known_hosts").path
        try ProcessRunner.checked("/usr/bin/ssh-keygen", ["-q", "-H", "-f", file])
        let knownHosts = try KnownHosts(path: file)
        #expect(knownHosts.entries.first?.patterns.first?.hasPrefix("|1|") == true)
        let sha = KnownHosts(path: "k", text: "h \(key)\n").entries[0].keySHA256
        #expect(knownHosts.verdict(host: "127.0.0.1", port: 2222, keySHA256: sha) == .trusted)
        #expect(knownHosts.verdict(host: "127.0.0.1", port: 2223, keySHA256: sha) == .unknown)
        #expect(knownHosts.verdict(host: "127.0.0.1", port: 22, keySHA256: sha) == .unknown)
    }

    @Test("fingerprints print as OpenSSH does")
    func fingerprint() {
        #expect(KnownHosts.fingerprint([UInt8](repeating: 0, count: 32)) == "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    }

    @Test("wildcards")
    func wildcards() {
        #expect(KnownHosts.wildcard("*", matches: "anything"))
        #expect(KnownHosts.wildcard("git?.example.org", matches: "git1.example.org"))
        #expect(!KnownHosts.wildcard("git?.example.org", matches: "git.example.org"))
        #expect(KnownHosts.wildcard("[127.0.0.1]:*", matches: "[127.0.0.1]:2222"))
    }
}
