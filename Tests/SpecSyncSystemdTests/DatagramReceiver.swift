import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `AF_UNIX`/`SOCK_DGRAM` socket standing in for systemd's notify socket. Binding is written
/// here independently of the notifier's address code, so a wrong address length cannot agree with
/// itself.
final class DatagramReceiver: @unchecked Sendable {
    /// What `$NOTIFY_SOCKET` should hold to reach this socket.
    let notifySocket: String
    private let descriptor: Int32

    /// A socket file at `path`.
    init(path: String) throws {
        descriptor = try Self.makeSocket()
        notifySocket = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8) + [0])
        }
        try bind(&address, length: MemoryLayout<sockaddr_un>.size)
    }

    /// A Linux abstract socket: `sun_path` is a NUL byte and `name`, and the address is exactly that long.
    init(abstractName name: String) throws {
        descriptor = try Self.makeSocket()
        notifySocket = "@" + name
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: [0] + Array(name.utf8))
        }
        try bind(&address, length: MemoryLayout<sa_family_t>.size + 1 + name.utf8.count)
    }

    deinit { close(descriptor) }

    var environment: [String: String] { ["NOTIFY_SOCKET": notifySocket] }

    /// The next datagram, or nil after `timeout`. Polls without blocking a thread of the shared pool.
    /// Generous by default: it returns at the first datagram, and only a missing one waits it out.
    func receive(timeout: Duration = .seconds(60)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let datagram = receiveNow() { return datagram }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Every datagram already queued.
    func drain() -> [String] {
        var datagrams: [String] = []
        while let datagram = receiveNow() { datagrams.append(datagram) }
        return datagrams
    }

    private func receiveNow() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    private static func makeSocket() throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        return descriptor
    }

    private func bind(_ address: inout sockaddr_un, length: Int) throws {
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(length))
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }
}
