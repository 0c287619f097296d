import Foundation

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
        /// A work tree or a bare repository; opened as is, without searching parent folders.
        public var path: String
        /// The revision that is the desired state.
        public var ref: String
    }

    public struct BundleSettings: Sendable, Equatable {
        /// The folder holding one folder per bundle.
        public var root: String
        public var layout: BundleLayout { BundleLayout(root: root) }
    }

    public struct StateSettings: Sendable, Equatable {
        /// Holds one state file per target: `<directory>/<target>.state.json`.
        public var directory: String
    }

    /// The defaults: the current directory is the repository, as with `git`.
    public static func defaults(currentDirectory: String, environment: [String: String]) -> Configuration {
        Configuration(
            repository: RepositorySettings(path: currentDirectory, ref: "HEAD"),
            bundles: BundleSettings(root: "Sources"),
            state: StateSettings(directory: environment["STATE_DIRECTORY"].map(Self.firstPath)
                ?? (currentDirectory as NSString).appendingPathComponent(".specsync")),
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
        (state.directory as NSString).appendingPathComponent("\(target.name).state.json")
    }
}

/// One remote that bundles are synced to.
public struct TargetSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case flowService
    }

    public var name: String
    public var kind: Kind
    public var flowService: FlowServiceSettings

    public static let defaultFlowService = TargetSettings(name: "default", kind: .flowService, flowService: FlowServiceSettings())

    /// What identifies the remote in the state file: a state from elsewhere is refused.
    public var identity: TargetIdentity {
        TargetIdentity(
            name: name, kind: kind.rawValue,
            identity: "\(flowService.baseURL) org=\(flowService.orgId ?? "-") sandbox=\(flowService.sandbox)")
    }
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
    /// Requests in flight at once.
    public var concurrency = 4
    /// An optional cap on requests per second, to stay under a throttling limit rather than rely on 429s.
    public var requestsPerSecond: Double?

    public init() {}
}

/// Where a secret is read from when it is needed. The value itself never enters the configuration.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    /// A file in `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`).
    case credential(String)
    case environment(String)
    case file(String)

    public var description: String {
        switch self {
        case .credential(let name): "credential '\(name)'"
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }
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
