import SpecSyncServerSupport

/// Where the daemon's HTTP endpoints listen, and how much of the process a client may hold.
/// Loopback by default: the webhook is the only route meant for the outside, and exposing it is a
/// deliberate choice (a reverse proxy, or `host`).
public struct EndpointSettings: Sendable, Equatable {
    /// The address to bind; "127.0.0.1" keeps the endpoints on the machine.
    public var host = "127.0.0.1"
    /// The TCP port; 0 asks the kernel for a free one (tests), read it back with `StatusServer.port`.
    public var port = 9464
    /// Connections served at once; more wait in the kernel's accept queue (never a descriptor of
    /// ours), so slow or idle clients cannot take the descriptors the sync loop needs.
    public var maximumConnections = 64
    /// How long a connection may take to send a request's head (from opening, or from the end of
    /// the previous answer) before it is closed.
    public var requestHeadTimeout: Duration = .seconds(10)
    /// How long a connection may stay silent while a request is under way.
    public var idleTimeout: Duration = .seconds(30)

    public init() {}

    /// Whether `host` keeps the endpoints on this machine: otherwise the daemon warns at start.
    public var isLoopback: Bool { LoopbackHost.isLoopback(host) }
}
