import Foundation
import SpecSyncTestSupport
import Testing

@testable import SpecSyncGit

/// Clone and fetch against a server that accepts TCP and never answers: the watchdog must end them with a
/// message naming the setting, and a stop request must end them at once. Without the watchdog these hang
/// (the time limit fails them).
@Suite(.timeLimit(.minutes(5))) struct NetworkTimeoutTests {
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    static let quick = GitNetworkOptions(connectTimeout: .milliseconds(500), inactivityTimeout: .seconds(1))

    @Test("a clone over http, ssh and https from a silent server fails with the connect timeout", arguments: ["http", "ssh", "https"])
    func silentClone(scheme: String) async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let target = try TemporaryDirectory()
        defer { target.remove() }
        let url = "\(scheme)://git@127.0.0.1:\(listener.port)/repo.git"
        let error = try await #require(throws: GitError.self) {
            _ = try await GitRepository.cloneBare(url: url, to: target.path + "/clone.git", credentials: nil, network: Self.quick)
        }
        #expect(listener.connectionCount >= 1, "the clone reached the listener")
        #expect(error.message.contains("did not answer within 500 ms (repository.connectTimeout)"), "\(error)")
        #expect(error.message.contains("127.0.0.1:\(listener.port)"))
    }

    @Test("a fetch from a silent server fails with the connect timeout")
    func silentFetch() async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let fixture = try GitFixture()
        defer { fixture.cleanUp() }
        try fixture.git("remote", "add", "origin", "ssh://git@127.0.0.1:\(listener.port)/repo.git")
        let repository = try GitRepository(path: fixture.path)
        let error = try await #require(throws: GitError.self) {
            try await repository.fetch(credentials: nil, network: Self.quick)
        }
        #expect(error.message.contains("repository.connectTimeout"), "\(error)")
        // The repository's thread is free again: later calls work.
        #expect(await repository.remoteURL() == "ssh://git@127.0.0.1:\(listener.port)/repo.git")
    }

    @Test("a stop request ends a hung clone long before its timeouts")
    func stopEndsHungClone() async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let target = try TemporaryDirectory()
        defer { target.remove() }
        let stopped = Flag()
        let network = GitNetworkOptions(
            connectTimeout: .seconds(3600), inactivityTimeout: .seconds(3600), shouldStop: { stopped.isSet })
        let clone = Task {
            try await GitRepository.cloneBare(
                url: "http://127.0.0.1:\(listener.port)/repo.git", to: target.path + "/clone.git", credentials: nil,
                network: network)
        }
        #expect(try await listener.waitForConnections())
        stopped.set()
        let error = try await #require(throws: GitError.self) { _ = try await clone.value }
        #expect(error.message == "stopped because specsync is shutting down", "\(error)")
    }

    @Test("a server that stops sending halfway through a pack fails the clone with the inactivity timeout, naming the setting")
    func stallMidPack() async throws {
        try #require(GitHTTPServer.isAvailable, "needs python3 and git-http-backend")
        let upstream = try GitFixture()
        defer { upstream.cleanUp() }
        // Incompressible content, so that the pack is far larger than what the server sends before it stalls.
        var random = SystemRandomNumberGenerator()
        let noise = (0..<(256 * 1024)).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &random)) }.joined()
        try upstream.write(noise, to: "noise.txt")
        try upstream.commitAll("a large file")
        let served = try upstream.bareClone()
        defer { served.remove() }
        let server = try GitHTTPServer(root: served.path, username: "bot", token: "right-token", stallAfter: 64 * 1024)
        defer { server.stop() }
        let target = try TemporaryDirectory()
        defer { target.remove() }
        let network = GitNetworkOptions(connectTimeout: .seconds(5), inactivityTimeout: .seconds(1))
        let error = try await #require(throws: GitError.self) {
            _ = try await GitRepository.cloneBare(
                url: server.url("repo.git"), to: target.path + "/clone.git",
                credentials: .token(username: "bot", token: "right-token"), network: network)
        }
        #expect(error.message.contains("repository.inactivityTimeout"), "\(error)")
        #expect(!error.message.contains("repository.connectTimeout"), "the server did answer: it stalled later, \(error)")
    }
}
