/// Why the emulator never started listening.
public enum EmulatorStartError: Error, Sendable, CustomStringConvertible {
    /// `run()` returned before the socket was bound.
    case stoppedBeforeListening
    /// The socket is bound but its address has no port (a Unix domain socket, say).
    case noPort
    /// `EmulatorTLS`'s certificate or key could not be read.
    case tls(String)

    public var description: String {
        switch self {
        case .stoppedBeforeListening: "the emulator stopped before it started listening"
        case .noPort: "the emulator's listening socket has no TCP port"
        case .tls(let reason): "the emulator cannot serve HTTPS: \(reason)"
        }
    }
}
