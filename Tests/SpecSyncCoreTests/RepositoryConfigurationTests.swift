import Foundation
import Testing
@testable import SpecSyncConfiguration
@testable import SpecSyncCore
@testable import SpecSyncJSON

/// The `repository:` settings for remotes: timeouts, known_hosts, CA file, and no password in the URL.
@Suite("Configuration: remote repository")
struct RepositoryConfigurationTests {
    func parse(_ yaml: String) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: [:], currentDirectory: "/work")
            .parse(yaml, source: "/etc/specsync/specsync.yaml")
    }

    @Test("defaults: 30 s to answer, 60 s of silence, no known_hosts or CA file")
    func defaults() throws {
        let configuration = try parse("repository:\n  url: ssh://git@git.example.org/r.git\n")
        #expect(configuration.repository.connectTimeout == .seconds(30))
        #expect(configuration.repository.inactivityTimeout == .seconds(60))
        #expect(configuration.repository.knownHosts == nil)
        #expect(configuration.repository.caFile == nil)
    }

    @Test("timeouts, knownHosts and caFile are read; paths are relative to the file's folder")
    func settings() throws {
        let configuration = try parse("""
            repository:
              url: https://git.example.org/r.git
              connectTimeout: 5s
              inactivityTimeout: 2m
              knownHosts: known_hosts
              caFile: /etc/ssl/private-ca.pem

            """)
        #expect(configuration.repository.connectTimeout == .seconds(5))
        #expect(configuration.repository.inactivityTimeout == .seconds(120))
        #expect(configuration.repository.knownHosts == .path("/etc/specsync/known_hosts"))
        #expect(configuration.repository.caFile == .path("/etc/ssl/private-ca.pem"))
    }

    @Test("knownHosts, caFile and the ssh key may be systemd credentials; a credential name with a '/' is refused with its line")
    func filesAsCredentials() throws {
        let configuration = try parse("""
            repository:
              url: ssh://git@git.example.org/r.git
              knownHosts: {credential: known-hosts}
              caFile: {file: ca.pem}
              credentials:
                sshKey: {privateKey: {credential: git-ssh-key}}

            """)
        #expect(configuration.repository.knownHosts == .credential("known-hosts"))
        #expect(configuration.repository.caFile == .path("/etc/specsync/ca.pem"))
        #expect(configuration.repository.credentials?.sshPrivateKey == .credential("git-ssh-key"))
        #expect(throws: ConfigurationError.self) { try parse("repository:\n  knownHosts: {credential: ../etc/passwd}\n") }
        let error = try #require(throws: ConfigurationError.self) { try parse("repository:\n  knownHosts: {credential: a/b}\n") }
        #expect(error.description.contains("2:28: repository.knownHosts.credential must be a credential's name"), "\(error)")
    }

    @Test("a zero or malformed timeout names the key and its line")
    func badTimeout() {
        #expect(throws: ConfigurationError.self) { try parse("repository:\n  connectTimeout: 0s\n") }
        do {
            _ = try parse("repository:\n  inactivityTimeout: soon\n")
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("'repository.inactivityTimeout' must be a positive duration"))
            #expect(error.location == "2:22")
        }
    }

    @Test("a password in the URL is refused, pointing at repository.credentials, without echoing it", arguments: [
        "https://bot:s3cret@git.example.org/r.git", "ssh://git:s3cret@git.example.org:2222/r.git",
    ])
    func passwordInURL(url: String) {
        do {
            _ = try parse("repository:\n  url: \(url)\n")
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.message.contains("repository.url has a password in it"))
            #expect(error.message.contains("repository.credentials"))
            #expect(!error.description.contains("s3cret"))
            #expect(error.location == "2:8")
        }
    }

    @Test("a user name alone, and scp-like addresses, are fine", arguments: [
        "ssh://git@git.example.org:2222/r.git", "git@git.example.org:org/r.git", "https://bot@git.example.org/r.git",
    ])
    func userNameOnly(url: String) throws {
        #expect(try parse("repository:\n  url: \(url)\n").repository.url == url)
    }
}
