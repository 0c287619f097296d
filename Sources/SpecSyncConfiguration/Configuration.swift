#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore

/// Everything specsync needs to know, from `specsync.yaml`, `SPECSYNC_…` variables and defaults.
/// Relative paths are resolved against the configuration file's folder (or the current directory
/// when there is no file), as git resolves paths against the repository.
public struct Configuration: Sendable, Equatable {
    public var repository: RepositorySettings
    public var bundles: BundleSettings
    public var state: StateSettings
    /// In the order the file lists them.
    public var targets: [TargetSettings]
    public var defaultTarget: String?
    /// Where the configuration came from, for messages; nil for built-in defaults.
    public var source: String?

    public struct RepositorySettings: Sendable, Equatable {
        /// A work tree or a bare repository; opened as is, without searching parent folders. With a
        /// `url`, the bare clone specsync keeps (default `<state.directory>/repository.git`).
        public var path: String
        /// The revision that is the desired state.
        public var ref: String
        /// A remote to clone and fetch (https or ssh); nil for a local repository.
        public var url: String?
        public var credentials: GitCredentialSettings?
        /// False when `path` is the default, which for a remote follows `state.directory`.
        public var pathIsExplicit = false
        /// How long a clone or fetch waits for the server's first answer (TLS or ssh handshake, or data).
        public var connectTimeout: Duration = .seconds(30)
        /// How long a clone or fetch may then receive nothing before it is abandoned.
        public var inactivityTimeout: Duration = .seconds(60)
        /// PEM file of the CA certificates https remotes are checked against; nil: the system's bundle.
        public var caFile: FileLocation?
        /// OpenSSH known_hosts file ssh remotes' host keys are checked against; nil: `$HOME/.ssh/known_hosts`.
        public var knownHosts: FileLocation?
    }

    public struct BundleSettings: Sendable, Equatable {
        /// The folder holding one folder per bundle.
        public var root: String
        public var layout: BundleLayout { BundleLayout(root: root) }
    }

    public struct StateSettings: Sendable, Equatable {
        /// Holds one state file per target: `<directory>/<target>.state.json`.
        public var directory: String
        /// Where the states are kept: files in `directory` (the default) or PostgreSQL (`postgres`).
        public var backend: StateBackendKind = .file
        public var postgres: PostgresStateSettings?
    }

    /// The defaults: the current directory is the repository, as with `git`.
    public var daemon = DaemonSettings()
    /// Receivers told about a pass's failures and recoveries (`notifications:`), in the file's order.
    public var notifications: [NotificationReceiverSettings] = []

    public static func defaults(currentDirectory: String, environment: [String: String]) -> Configuration {
        Configuration(
            repository: RepositorySettings(path: currentDirectory, ref: "HEAD", url: nil, credentials: nil),
            bundles: BundleSettings(root: "Sources"),
            state: StateSettings(directory: environment["STATE_DIRECTORY"].map(Self.firstPath)
                ?? LocalPath.join(currentDirectory, ".specsync")),
            targets: [TargetSettings.defaultFlowService],
            defaultTarget: nil,
            source: nil)
    }

    /// systemd's `$STATE_DIRECTORY` may list several folders separated by ':'.
    static func firstPath(_ list: String) -> String {
        String(list.split(separator: ":").first ?? Substring(list))
    }

    /// The target `name` selects, or the only/default one.
    public func target(named name: String?) throws(ConfigurationError) -> TargetSettings {
        if let name {
            guard let target = targets.first(where: { $0.name == name }) else {
                throw ConfigurationError(
                    source: source, location: nil,
                    message: "no target named '\(name)'; configured: \(targets.map(\.name).joined(separator: ", "))")
            }
            return target
        }
        if let defaultTarget { return try target(named: defaultTarget) }
        guard targets.count == 1, let only = targets.first else {
            throw ConfigurationError(
                source: source, location: nil,
                message: "several targets are configured (\(targets.map(\.name).joined(separator: ", "))); choose one with --target or set defaultTarget")
        }
        return only
    }

    public func statePath(for target: TargetSettings) -> String {
        LocalPath.join(state.directory, "\(target.name).state.json")
    }
}

/// How to authenticate to a git remote. Secrets are references.
public struct GitCredentialSettings: Sendable, Equatable {
    public var username: String
    /// https: a token or password sent as basic auth.
    public var token: SecretReference?
    /// ssh: a private key file (and optionally its public key and passphrase).
    public var sshPrivateKey: FileLocation?
    public var sshPublicKey: FileLocation?
    public var sshPassphrase: SecretReference?

    public init(username: String) { self.username = username }
}

/// What `specsync sync` does when it runs as a service.
public struct DaemonSettings: Sendable, Equatable {
    public enum DriftPolicy: String, Sendable, CaseIterable {
        /// Log it and count it in the metrics.
        case warn
        /// Send the desired body again (re-create a deleted spec).
        case heal
        case ignore
    }

    /// How a local repository's ref is watched.
    public enum RefWatch: String, Sendable, CaseIterable {
        /// inotify on the ref directories, polling only if inotify cannot be used.
        case inotify
        /// Re-read every `pollInterval` (e.g. on NFS, where inotify misses other hosts' writes).
        case poll
    }

    public var watch: RefWatch = .inotify
    /// How often a local repository's ref is re-read when it is polled.
    public var pollInterval: Duration = .seconds(1)
    /// How often a remote is fetched (with ±10% jitter).
    public var fetchInterval: Duration = .seconds(60)
    /// How often managed specs are compared with the remote; nil disables drift detection.
    public var driftInterval: Duration? = .seconds(300)
    public var driftPolicy: DriftPolicy = .warn
    /// Heals in a row after which a spec that keeps diverging is quarantined instead of re-sent.
    public var maxHeals = 3
    /// First and longest pause before a failing bundle is tried again (doubling in between).
    public var retryBase: Duration = .seconds(30)
    public var retryMax: Duration = .seconds(3600)
    /// Where /healthz, /readyz, /metrics and /hooks/git listen; port 0 picks a free one.
    public var httpHost = "127.0.0.1"
    public var httpPort = 9464
    public var httpEnabled = true
    /// Connections the endpoints serve at once; more wait in the kernel's queue, holding none of
    /// the daemon's file descriptors.
    public var httpMaxConnections = 64
    /// How long a connection may take to send a request's head before it is closed.
    public var httpRequestHeadTimeout: Duration = .seconds(10)
    /// Shared secret of the git webhook (GitHub HMAC or GitLab token); nil turns the hook off.
    public var webhookSecret: SecretReference?

    public init() {}
}

/// One remote that bundles are synced to.
public struct TargetSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case flowService
        case flxpoint
        case versori

        /// What the target's bundles describe.
        public var resource: ResourceKind {
            switch self {
            case .flowService: .connectionSpec
            case .flxpoint: .flxpointConnection
            case .versori: .versoriConnection
            }
        }
    }

    public enum ConflictPolicy: String, Sendable, CaseIterable {
        /// A spec changed outside git since specsync last wrote it is not overwritten.
        case refuse
        case overwrite
    }

    /// What a sync does with a resource found by name that no record links and that differs from git,
    /// where the API does not say who last wrote it (Flxpoint, Versori): the difference cannot be
    /// attributed to specsync or to someone else.
    public enum UnrecordedDifferencePolicy: String, Sendable, CaseIterable {
        /// Replace it with git's body.
        case update
        /// Leave it and report it, as a conflict.
        case refuse
    }

    public var name: String
    public var kind: Kind
    /// The settings of the target's API; only the one `kind` names is used.
    public var flowService: FlowServiceSettings
    public var flxpoint = FlxpointSettings()
    public var versori = VersoriSettings()
    public var onConflict = ConflictPolicy.refuse
    public var unrecordedDifference = UnrecordedDifferencePolicy.refuse
    /// Delete (or, where the API cannot, mark) remote specs whose bundles left git.
    public var prune = false
    /// At most this many prunes per pass.
    public var pruneLimit = 5
    /// RFC 7386 merge patches (JSON files) applied to every body, then to one bundle's body.
    public var patchAll: String?
    public var patchBundles: [String: String] = [:]
    /// Timeouts and the cleartext rule of the target's HTTP requests (IMS included).
    public var http = HTTPSettings()
    /// A pass starts no new write after this long: the writes in flight finish and are recorded,
    /// the rest waits for the next pass. Below the daemon's 30 min watchdog limit.
    public var passDeadline: Duration = .seconds(20 * 60)
    /// `specsync verify`'s test connections.
    public var verify = VerifySettings()

    public init(name: String, kind: Kind, flowService: FlowServiceSettings) {
        self.name = name
        self.kind = kind
        self.flowService = flowService
    }

    public static let defaultFlowService = TargetSettings(name: "default", kind: .flowService, flowService: FlowServiceSettings())

    /// What the remote is, for the state file: a state from elsewhere is refused. The account, not
    /// the address: moving to a proxy, another port or a new host name keeps the state.
    public var identity: TargetIdentity {
        let identity = switch kind {
        case .flowService: "org=\(flowService.orgId ?? "-") sandbox=\(flowService.sandbox)"
        // The account is the token's, which no configuration names: every state of this target
        // is taken to be that account's.
        case .flxpoint: "account of the configured token"
        case .versori: "org=\(versori.organisation ?? "-")"
        }
        return TargetIdentity(name: name, kind: kind.rawValue, identity: identity)
    }

    /// Where the target's bundles are: `bundles.root` for connection specs, the target's own
    /// `root` for connections.
    public func layout(bundles: Configuration.BundleSettings) -> BundleLayout {
        switch kind {
        case .flowService: bundles.layout
        case .flxpoint: BundleLayout(root: flxpoint.root, resource: .flxpointConnection)
        case .versori: BundleLayout(root: versori.root, resource: .versoriConnection)
        }
    }

    /// Requests in flight at once: learnt (Flow Service and Versori by default) or fixed (Flxpoint always).
    public var concurrency: ConcurrencySetting {
        switch kind {
        case .flowService: flowService.concurrency
        case .flxpoint: .fixed(flxpoint.concurrency)
        case .versori: versori.concurrency
        }
    }
}

/// How long one request may take and whether cleartext HTTP may leave the machine
/// (`targets.<name>.http`).
public struct HTTPSettings: Sendable, Equatable {
    /// Opening the connection (TCP and TLS); a refused port fails at once, whatever this says.
    public var connectTimeout: Duration = .seconds(5)
    /// One attempt of one request, from sending it to the last byte of the answer.
    public var requestTimeout: Duration = .seconds(30)
    /// `http://` to a host other than loopback: refused unless true, since the client secret and
    /// every token would cross the network in clear.
    public var allowInsecureHTTP = false
    /// CA certificates (PEM) trusted for the target's APIs in addition to the system's: a private
    /// CA, or a TLS-intercepting corporate proxy's.
    public var caFile: FileLocation?

    public init() {}

    /// Whether `url` may be used: https, or http to loopback, or `allowInsecureHTTP`.
    public func permits(_ url: String) -> Bool {
        allowInsecureHTTP || !url.lowercased().hasPrefix("http://") || Self.isLoopback(url)
    }

    /// `localhost`, `127.0.0.0/8` or `[::1]` as the URL's host.
    public static func isLoopback(_ url: String) -> Bool {
        guard let host = URL(string: url)?.host?.lowercased() else { return false }
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}

/// A Flxpoint account, reached with one API token. Flxpoint allows 2 requests per second per token.
public struct FlxpointSettings: Sendable, Equatable {
    public var baseURL = "https://api.flxpoint.com"
    /// Sent as `X-API-TOKEN`.
    public var token: SecretReference?
    /// At most this many requests in any window of one second, as Flxpoint counts them.
    public var requestsPerSecond = 2
    public var concurrency = 2
    /// One file per connection: `<root>/<name>.json`.
    public var root = "Connections/flxpoint"

    public init() {}
}

/// A Versori organisation, reached with an API key.
public struct VersoriSettings: Sendable, Equatable {
    public var baseURL = "https://platform.versori.com/api/connect/v1"
    public var organisation: String?
    /// Sent as `Authorization: Bearer`.
    public var apiKey: SecretReference?
    /// Requests in flight at once: adaptive unless a number is configured.
    public var concurrency = ConcurrencySetting.adaptive
    /// An optional cap on requests per second.
    public var requestsPerSecond: Double?
    /// One file per connection: `<root>/<connector>/<name>.json`.
    public var root = "Connections/versori"

    public init() {}
}

/// Adobe Flow Service and IMS settings. Secrets are references, never values.
public struct FlowServiceSettings: Sendable, Equatable {
    public var baseURL = "https://platform.adobe.io/data/foundation/flowservice"
    public var imsURL = "https://ims-na1.adobelogin.com"
    /// `<ORG>@AdobeOrg`.
    public var orgId: String?
    public var sandbox = "prod"
    public var clientId: String?
    public var clientSecret: SecretReference?
    public var scopes: [String] = ["openid", "AdobeID", "read_organizations", "additional_info.projectedProductContext", "session"]
    /// Requests in flight at once: adaptive unless a number is configured.
    public var concurrency = ConcurrencySetting.adaptive
    /// An optional cap on requests per second, to stay under a throttling limit rather than rely on 429s.
    public var requestsPerSecond: Double?
    /// New specs are added to this flow spec's `sourceConnectionSpecIds` (RestStorageToAEP by
    /// default); nil turns registration off. Bundles can name their own in `flowSpecBundles`.
    public var flowSpecId: String? = FlowServiceSettings.restStorageToAEP
    public var flowSpecBundles: [String: String] = [:]

    public static let restStorageToAEP = FlowSpecAssignment.restStorageToAEP

    /// The flow spec each bundle's spec is registered in.
    public var flowSpecs: FlowSpecAssignment {
        // Registration off turns it off for streaming specs too.
        FlowSpecAssignment(defaultID: flowSpecId, streamingID: flowSpecId.map { _ in FlowSpecAssignment.genericStreamingAEP }, bundles: flowSpecBundles)
    }

    public init() {}
}

public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The file, or an environment variable's name.
    public let source: String?
    /// "line:column" when known.
    public let location: String?
    public let message: String

    public init(source: String?, location: String?, message: String) {
        self.source = source
        self.location = location
        self.message = message
    }

    public var description: String {
        switch (source, location) {
        case let (source?, location?): "\(source):\(location): \(message)"
        case let (source?, nil): "\(source): \(message)"
        default: message
        }
    }
}
