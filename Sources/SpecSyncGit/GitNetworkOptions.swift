/// Limits and checks for one clone or fetch.
///
/// libgit2 1.5.1 has no timeouts of its own: `TransferWatchdog` enforces these by cancelling through the
/// transfer callbacks and interrupting a call blocked on a silent socket.
public struct GitNetworkOptions: Sendable {
    /// How long to wait for the server's first answer (the TLS or ssh handshake, or the first data).
    public var connectTimeout: Duration
    /// How long the server may then stay silent before the transfer is abandoned.
    public var inactivityTimeout: Duration
    /// Asked a few times a second during the call; true stops it (e.g. SIGTERM in the daemon).
    public var shouldStop: (@Sendable () -> Bool)?
    /// The ssh host keys to trust; nil leaves the check to libgit2, which reads `$HOME/.ssh/known_hosts`.
    public var knownHosts: KnownHosts?
    /// A PEM file of the CA certificates https servers are checked against, nil for the system's bundle.
    /// libgit2 holds one set for the whole process: the last call's file applies to every later one.
    public var caFile: String?

    public static let defaultConnectTimeout: Duration = .seconds(30)
    public static let defaultInactivityTimeout: Duration = .seconds(60)

    public init(
        connectTimeout: Duration = Self.defaultConnectTimeout,
        inactivityTimeout: Duration = Self.defaultInactivityTimeout,
        shouldStop: (@Sendable () -> Bool)? = nil, knownHosts: KnownHosts? = nil, caFile: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.inactivityTimeout = inactivityTimeout
        self.shouldStop = shouldStop
        self.knownHosts = knownHosts
        self.caFile = caFile
    }
}
