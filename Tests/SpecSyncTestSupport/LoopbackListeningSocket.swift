import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket listening on 127.0.0.1 at a port the kernel picks: what the tests' own small
/// servers accept their connections on.
public struct LoopbackListeningSocket: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public let descriptor: Int32
    public let port: Int

    public init(backlog: Int32 = 16) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, backlog) == 0
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(descriptor)
            throw Failure("cannot listen on 127.0.0.1: errno \(errno)")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Wakes a blocked `accept`, which then fails: the accepting thread, which owns the descriptor,
    /// closes it (`acceptLoop`). Closing it here instead would let that thread call `accept` on a
    /// number the kernel may already have given to another test's socket.
    public func stopListening() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Accepts until `stopListening`, handing each connection to `handle`; then closes the
    /// listening descriptor. Runs on the calling thread.
    public func acceptLoop(_ handle: (Int32) -> Void) {
        while true {
            let connection = accept(descriptor, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                Glibc.close(descriptor)
                return
            }
            handle(connection)
        }
    }
}
