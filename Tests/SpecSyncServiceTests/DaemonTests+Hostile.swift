import Foundation
import SpecSyncCore
import SpecSyncTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon under attack: slow connections by the hundred, a ref that disappears, a reload with
/// a configuration whose numbers overflow.
extension DaemonTests {
    /// Opens `count` TCP connections to `port` on loopback without waiting for them to be
    /// accepted (the kernel queues what the server does not take), sending `prefix` on each that
    /// connects at once; returns their descriptors, for the caller to close.
    static func openIdleConnections(_ count: Int, port: Int, prefix: String) -> [Int32] {
        var descriptors: [Int32] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { break }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            _ = prefix.withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            descriptors.append(descriptor)
        }
        return descriptors
    }

    /// Descriptors the process holds now.
    static func openDescriptors(of pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    @Test("a state file edited between passes stops the next pass, which writes nothing and leaves it as it is; put back, the next pass goes on from it")
    func stateEditedBetweenPasses() async throws {
        try await withDaemon { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            // The records stay on disk while the daemon is idle: an edit there is seen, not overwritten.
            let original = try Data(contentsOf: URL(fileURLWithPath: harness.stateFile))
            let edited = Data(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "\"alpha source\"", with: "\"alpha edited\"").utf8)
            #expect(edited != original)
            try edited.write(to: URL(fileURLWithPath: harness.stateFile))

            try harness.fixture.write(SampleBundle.spec(name: "gamma source"), to: "Sources/gamma/Artifacts/gamma-connectionSpec.json")
            try harness.fixture.commitAll("add gamma")
            try await harness.waitUntil("the pass to refuse the edited state") { harness.log.contains("does not match its checksum") }
            #expect(harness.log.contains("pass failed; trying again later"))
            #expect(await harness.specNames() == ["alpha source", "beta source"], "nothing written from a state nobody vouched for")
            #expect(try Data(contentsOf: URL(fileURLWithPath: harness.stateFile)) == edited)

            try original.write(to: URL(fileURLWithPath: harness.stateFile))
            // The spec is live a moment before its record is on disk: wait for both.
            try await harness.waitUntil("gamma to go live and be recorded once the state is put back") {
                await harness.specNames().contains("gamma source") && (try? StateStore(path: harness.stateFile).load())??[BundleID("gamma")] != nil
            }
            let state = try #require(try StateStore(path: harness.stateFile).load())
            #expect(state.bundles.keys.sorted() == ["alpha", "beta", "gamma"])
            #expect(state[BundleID("alpha")]?.name == "alpha source")
        }
    }

    @Test("600 idle or slow connections never take the descriptors a pass needs: the pass runs and /healthz answers")
    func slowConnections() async throws {
        // 256 descriptors for the daemon: without a connection cap, 600 accepted connections
        // would leave none for the repository and the state ("Too many open files").
        try await withDaemon(extraDaemon: "    maxConnections: 32\n    requestHeadTimeout: 1s", fileLimit: 256) { harness in
            try await harness.waitUntil("the first pass", timeout: .seconds(60)) { await harness.isReady() }
            let connections = Self.openIdleConnections(600, port: harness.httpPort, prefix: "GET /healthz HTTP/1.1\r\nHost: x\r\n")
            defer { for descriptor in connections { close(descriptor) } }
            #expect(connections.count == 600)
            try await Task.sleep(for: .milliseconds(500))
            let held = Self.openDescriptors(of: harness.process.processIdentifier)
            #expect(held > 0 && held < 128, "the daemon holds \(held) descriptors")

            try harness.fixture.write(SampleBundle.spec(name: "gamma source"), to: "Sources/gamma/Artifacts/gamma-connectionSpec.json")
            try harness.fixture.commitAll("add gamma")
            try await harness.waitUntil("gamma to go live while the connections are open", timeout: .seconds(30)) {
                await harness.specNames().contains("gamma source")
            }
            #expect(!harness.log.contains("Too many open files"))
            // The slow ones are closed after their second: /healthz gets its turn.
            try await harness.waitUntil("/healthz to answer", timeout: .seconds(60)) {
                (try? await harness.get("/healthz").status) == 200
            }
        }
    }

    @Test("a pass that cannot run (the ref deleted) makes /readyz 503; the next pass that runs makes it 200 again")
    func readinessTellsTheTruth() async throws {
        try await withDaemon { harness in
            try await harness.waitUntil("the first pass", timeout: .seconds(60)) { await harness.isReady() }
            let head = try harness.fixture.git("rev-parse", "HEAD")
            try harness.fixture.git("update-ref", "-d", "refs/heads/main")
            try await harness.waitUntil("/readyz to say unready", timeout: .seconds(20)) {
                (try? await harness.get("/readyz").status) == 503
            }
            #expect(try await harness.get("/healthz").status == 200, "alive, though not ready")
            try harness.fixture.git("update-ref", "refs/heads/main", head)
            try await harness.waitUntil("/readyz to say ready again", timeout: .seconds(20)) { await harness.isReady() }
        }
    }

    @Test("SIGHUP with a duration of 1e13 h keeps the daemon and its configuration; the error names the line")
    func overflowingReload() async throws {
        try await withDaemon { harness in
            try await harness.waitUntil("the first pass", timeout: .seconds(60)) { await harness.isReady() }
            let path = harness.work.path + "/specsync.yaml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let broken = text.replacingOccurrences(of: "  pollInterval: 200ms", with: "  pollInterval: 10000000000000h")
            #expect(broken != text)
            try broken.write(toFile: path, atomically: true, encoding: .utf8)
            harness.signal(SIGHUP)
            try await harness.waitUntil("the reload to fail") { harness.log.contains("reload failed; keeping the previous configuration") }
            #expect(harness.log.contains("specsync.yaml:6:17: 'daemon.pollInterval' is '10000000000000h', longer than"), "\(harness.log.suffix(3000))")
            // Still polling every 200 ms with the old configuration.
            try harness.fixture.write(SampleBundle.spec(name: "delta source"), to: "Sources/delta/Artifacts/delta-connectionSpec.json")
            try harness.fixture.commitAll("add delta")
            try await harness.waitUntil("delta to go live after the failed reload") { await harness.specNames().contains("delta source") }
            #expect(harness.process.isRunning)
        }
    }
}
