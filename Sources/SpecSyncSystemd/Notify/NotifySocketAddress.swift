#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `$NOTIFY_SOCKET` points: a socket file, or a Linux abstract socket when the name starts
/// with `@` (systemd's spelling of the leading NUL byte that the environment cannot carry).
struct NotifySocketAddress: Sendable, Equatable {
    /// The bytes of `sun_path`, with the leading NUL for an abstract name and no terminator.
    let pathBytes: [UInt8]
    let isAbstract: Bool

    /// `sun_path` holds 108 bytes on Linux: a path needs one of them for its terminating NUL.
    static var capacity: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) }

    /// Nil for anything but an absolute path or an `@name`, or a name too long for `sun_path`.
    init?(_ name: String) {
        var bytes = Array(name.utf8)
        if bytes.first == UInt8(ascii: "@") {
            bytes[0] = 0
            guard bytes.count > 1, bytes.count <= Self.capacity else { return nil }
            isAbstract = true
        } else if bytes.first == UInt8(ascii: "/") {
            guard bytes.count < Self.capacity, !bytes.contains(0) else { return nil }
            isAbstract = false
        } else {
            return nil
        }
        pathBytes = bytes
    }

    /// Calls `body` with the filled-in `sockaddr_un` and the length the kernel must be given: an
    /// abstract name is exactly its bytes long, a path includes its terminating NUL (as sd_notify does).
    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            raw.copyBytes(from: pathBytes)
        }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path) ?? 2
        let length = offset + pathBytes.count + (isAbstract ? 0 : 1)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(length)) }
        }
    }
}
