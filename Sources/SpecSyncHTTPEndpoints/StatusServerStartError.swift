/// Why the status server never started listening; thrown to callers waiting on `StatusServer.port`.
public enum StatusServerStartError: Error, Sendable, CustomStringConvertible {
    /// `run()` returned before the socket was bound.
    case stoppedBeforeListening
    /// The socket is bound but its address has no port (a Unix domain socket, say).
    case noPort

    public var description: String {
        switch self {
        case .stoppedBeforeListening: "the status server stopped before it started listening"
        case .noPort: "the status server's listening socket has no TCP port"
        }
    }
}
