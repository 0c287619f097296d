import Foundation
import Logging
import ServiceLifecycle
import SpecSyncHTTPEndpoints
import SpecSyncServerSupport
import SpecSyncTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Slow clients and exposed endpoints: a connection that never finishes its request head is
/// closed, and a bind beyond loopback is warned about. The connection cap is measured on the real
/// daemon, a process of its own (`DaemonTests.slowConnections`): this process's descriptors move
/// with every test running beside it.
@Suite("Hostile connections")
struct HostileConnectionTests {
    /// A blocking loopback TCP connection to `port`.
    static func connect(port: Int) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(descriptor); throw POSIXError(.ECONNREFUSED) }
        return descriptor
    }

    /// Reads until the peer closes; the bytes read. A receive timeout bounds the wait.
    static func readUntilClosed(_ descriptor: Int32, within seconds: Int) -> (closed: Bool, bytes: [UInt8]) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return (true, bytes) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return (false, bytes) }
            bytes += buffer[..<count]
        }
    }

    @Test("a connection that sends half a request head is closed after the head timeout, with no answer")
    func halfHeadIsClosed() async throws {
        try await StatusServerHarness.run(configure: { $0.requestHeadTimeout = .milliseconds(300) }) { harness in
            let port = Int(harness.baseURL.split(separator: ":").last!)!
            let descriptor = try Self.connect(port: port)
            defer { close(descriptor) }
            _ = "GET /healthz HTTP/1.1\r\nHost: x\r\n".withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            let (closed, bytes) = try await BlockingWork.run { Self.readUntilClosed(descriptor, within: 20) }
            #expect(closed, "the server kept a connection whose head never ended")
            #expect(bytes.isEmpty, "\(String(decoding: bytes, as: UTF8.self))")
            // Whole requests are still answered.
            #expect(try await harness.send("GET", "/healthz").status == 200)
        }
    }

    @Test("a kept-alive connection gets the head timeout again after each answer, and a complete request inside it is served")
    func keepAlive() async throws {
        try await StatusServerHarness.run(configure: { $0.requestHeadTimeout = .milliseconds(300) }) { harness in
            let port = Int(harness.baseURL.split(separator: ":").last!)!
            let descriptor = try Self.connect(port: port)
            defer { close(descriptor) }
            _ = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".withCString { send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            let (closed, bytes) = try await BlockingWork.run { Self.readUntilClosed(descriptor, within: 20) }
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(closed, "an idle kept-alive connection is closed once the next head is overdue")
        }
    }

    @Test("a bind address beyond loopback is warned about; loopback ones are not", arguments: [
        ("0.0.0.0", false), ("::", false), ("192.168.1.10", false), ("example.org", false), ("127.0.0.1", true),
        ("127.1.2.3", true), ("localhost", true), ("::1", true), ("[::1]", true), ("127.0.0.256", false),
    ])
    func loopback(_ host: String, _ isLoopback: Bool) {
        #expect(LoopbackHost.isLoopback(host) == isLoopback, "\(host)")
    }

    @Test("the server warns when told to listen beyond loopback (an address not on this machine, so nothing is bound)")
    func warnsBeyondLoopback() async throws {
        let logs = RecordingLogHandler.Store()
        let logger = Logger(label: "status-server-test") { _ in RecordingLogHandler(store: logs) }
        var settings = EndpointSettings()
        settings.host = "203.0.113.7"  // TEST-NET-3: never this machine's, so the bind fails
        settings.port = 0
        let server = StatusServer(settings: settings, metrics: SyncMetrics(), health: HealthState(), webhook: nil,
                                  onWebhook: { _ in }, logger: logger)
        await #expect(throws: (any Error).self) { try await server.run() }
        let warning = logs.all.first { $0.level == .warning }
        #expect(warning?.message.contains("beyond loopback") == true, "\(logs.all.map(\.flattened))")
        #expect(warning?.metadata["http.host"] == "203.0.113.7")
    }
}
