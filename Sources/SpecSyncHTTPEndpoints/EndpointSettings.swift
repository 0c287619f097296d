/// Where the daemon's HTTP endpoints listen. Loopback by default: the webhook is the only route
/// meant for the outside, and exposing it is a deliberate choice (a reverse proxy, or `host`).
public struct EndpointSettings: Sendable, Equatable {
    /// The address to bind; "127.0.0.1" keeps the endpoints on the machine.
    public var host = "127.0.0.1"
    /// The TCP port; 0 asks the kernel for a free one (tests), read it back with `StatusServer.port`.
    public var port = 9464

    public init() {}
}
