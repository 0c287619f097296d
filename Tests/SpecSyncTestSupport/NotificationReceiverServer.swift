import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 that records every request a notification receiver gets, and
/// answers as told: 200, a status that asks for a retry, or nothing at all (accepts, reads, never
/// answers). Blocking sockets on threads of its own, off the cooperative pool.
public final class NotificationReceiverServer: @unchecked Sendable {
    public enum Mode: Sendable {
        case ok
        /// Answer every request with this status, and the request's headers and body echoed back.
        case echo(status: Int)
        /// Read the request and never answer (the connection stays open until `stop`).
        case silent
        /// 307 Temporary Redirect to `location`.
        case redirect(String)
    }

    public struct Request: Sendable {
        public let method: String
        public let path: String
        public let headers: [String: String]
        public let body: Data
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    public let port: Int
    public let mode: Mode
    private let socket: LoopbackListeningSocket
    private let lock = NSLock()
    private var received: [Request] = []
    private var connections: [Int32] = []
    private var stopped = false

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public init(mode: Mode) throws {
        self.mode = mode
        socket = try LoopbackListeningSocket()
        port = socket.port
        Thread { [self] in acceptLoop() }.start()
    }

    public var requests: [Request] { lock.withLock { received } }

    /// Waits until at least `count` requests arrived (or `limit` passes); true when they did.
    public func waitForRequests(_ count: Int, limit: Duration = .seconds(30)) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while requests.count < count {
            if ContinuousClock.now > deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Wakes every thread of the server; each closes its own descriptor as it ends, so no thread
    /// ever reads from a number the kernel has given to another socket since.
    public func stop() {
        socket.stopListening()
        lock.withLock {
            stopped = true
            for connection in connections { shutdown(connection, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        socket.acceptLoop { connection in
            let accepted = lock.withLock {
                if !stopped { connections.append(connection) }
                return !stopped
            }
            guard accepted else { close(connection); return }
            Thread { [self] in
                serve(connection)
                lock.withLock { connections.removeAll { $0 == connection } }
                close(connection)
            }.start()
        }
    }

    private func serve(_ connection: Int32) {
        var buffer = Data()
        while let request = Self.readRequest(connection, buffer: &buffer) {
            lock.withLock { received.append(request) }
            switch mode {
            case .silent:
                continue
            case .ok:
                write(connection, status: 200, body: Data("ok".utf8))
            case .redirect(let location):
                write(connection, status: 307, headers: ["Location: \(location)"], body: Data())
            case .echo(let status):
                let echo = request.headers.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "\n") + "\n\n" + request.text
                write(connection, status: status, body: Data(echo.utf8))
            }
        }
    }

    private func write(_ connection: Int32, status: Int, headers: [String] = [], body: Data) {
        let extra = headers.map { $0 + "\r\n" }.joined()
        let head = "HTTP/1.1 \(status) Status\r\nContent-Type: text/plain\r\n\(extra)Content-Length: \(body.count)\r\n\r\n"
        let bytes = Data(head.utf8) + body
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// One request off the connection, nil when it closes first.
    static func readRequest(_ connection: Int32, buffer: inout Data) -> Request? {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard read(connection, into: &buffer) else { return nil }
        }
        let headEnd = buffer.range(of: separator)!
        let head = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        buffer.removeSubrange(buffer.startIndex..<headEnd.upperBound)
        while buffer.count < length {
            guard read(connection, into: &buffer) else { return nil }
        }
        let body = Data(buffer.prefix(length))
        buffer.removeSubrange(buffer.startIndex..<buffer.startIndex + length)
        return Request(method: requestLine.first.map(String.init) ?? "", path: requestLine.dropFirst().first.map(String.init) ?? "",
                       headers: headers, body: body)
    }

    static func read(_ connection: Int32, into buffer: inout Data) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let count = recv(connection, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }
}
