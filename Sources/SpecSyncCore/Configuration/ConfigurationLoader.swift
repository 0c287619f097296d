#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads `specsync.yaml` strictly: an unknown key is an error naming the key and where it is, so a
/// typo never silently falls back to a default. `SPECSYNC_…` environment variables override file
/// values; an unknown one is an error too.
public struct ConfigurationLoader: Sendable {
    /// Variables that are not settings.
    public static let reservedVariables: Set<String> = ["SPECSYNC_CONFIG", "SPECSYNC_ACCEPT_STATE_EDIT"]
    public static let defaultFileName = "specsync.yaml"

    public let environment: [String: String]
    public let currentDirectory: String

    public init(environment: [String: String], currentDirectory: String) {
        self.environment = environment
        self.currentDirectory = currentDirectory
    }

    /// The configuration at `path`, else `$SPECSYNC_CONFIG`, else `./specsync.yaml` when present,
    /// else the defaults; then the environment overrides.
    public func load(path explicitPath: String? = nil) throws(ConfigurationError) -> Configuration {
        let candidate = explicitPath ?? environment["SPECSYNC_CONFIG"]
        let implicit = LocalPath.join(currentDirectory, Self.defaultFileName)
        var configuration: Configuration
        if let candidate {
            configuration = try loadFile(absolute(candidate, base: currentDirectory))
        } else if FileManager.default.fileExists(atPath: implicit) {
            configuration = try loadFile(implicit)
        } else {
            configuration = Configuration.defaults(currentDirectory: currentDirectory, environment: environment)
        }
        try applyEnvironment(to: &configuration)
        // A remote's clone lives in the state directory unless placed elsewhere: decided after the
        // environment, since systemd units move the state directory with SPECSYNC_STATE_DIRECTORY.
        if configuration.repository.url != nil && !configuration.repository.pathIsExplicit {
            configuration.repository.path = LocalPath.join(configuration.state.directory, "repository.git")
        }
        return configuration
    }

    public func loadFile(_ path: String) throws(ConfigurationError) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(source: path, location: nil, message: "cannot read the configuration file (\(SystemErrorText.describe(error)))")
        }
        return try parse(text, source: path)
    }

    /// Parses YAML text; relative paths resolve against the folder of `source`.
    public func parse(_ text: String, source: String) throws(ConfigurationError) -> Configuration {
        let base = LocalPath.parent(of: absolute(source, base: currentDirectory))
        var configuration = Configuration.defaults(currentDirectory: base, environment: environment)
        configuration.source = source
        let root: YAMLNode?
        do {
            root = try YAMLComposer().compose(text)
        } catch {
            throw ConfigurationError(source: source, location: error.mark?.description, message: "not valid YAML: \(error.message)")
        }
        guard let root else { return configuration }
        let reader = NodeReader(source: source)
        let top = try reader.mapping(root, path: "", allowed: ["repository", "bundles", "state", "targets", "defaultTarget", "daemon"])
        var explicitPath = false
        if let node = top["repository"] {
            let section = try reader.mapping(
                node, path: "repository",
                allowed: ["path", "ref", "url", "credentials", "connectTimeout", "inactivityTimeout", "caFile", "knownHosts"])
            if let value = section["path"] {
                configuration.repository.path = absolute(try reader.string(value, path: "repository.path"), base: base)
                explicitPath = true
            }
            if let value = section["ref"] { configuration.repository.ref = try reader.string(value, path: "repository.ref") }
            if let value = section["url"] {
                configuration.repository.url = try readRepositoryURL(value, reader: reader)
                if section["ref"] == nil { configuration.repository.ref = "origin/main" }
            }
            if let value = section["credentials"] {
                configuration.repository.credentials = try readGitCredentials(value, reader: reader)
            }
            if let value = section["connectTimeout"] {
                configuration.repository.connectTimeout = try reader.duration(value, path: "repository.connectTimeout")
            }
            if let value = section["inactivityTimeout"] {
                configuration.repository.inactivityTimeout = try reader.duration(value, path: "repository.inactivityTimeout")
            }
            if let value = section["caFile"] {
                configuration.repository.caFile = absolute(try reader.string(value, path: "repository.caFile"), base: base)
            }
            if let value = section["knownHosts"] {
                configuration.repository.knownHosts = absolute(try reader.string(value, path: "repository.knownHosts"), base: base)
            }
        }
        if let node = top["bundles"] {
            let section = try reader.mapping(node, path: "bundles", allowed: ["root"])
            if let value = section["root"] { configuration.bundles.root = try reader.string(value, path: "bundles.root") }
        }
        if let node = top["state"] {
            let section = try reader.mapping(node, path: "state", allowed: ["directory"] + Self.stateBackendKeys)
            if let value = section["directory"] {
                configuration.state.directory = absolute(try reader.string(value, path: "state.directory"), base: base)
            }
            try readStateBackend(section, node: node, into: &configuration.state, reader: reader, base: base)
        }
        configuration.repository.pathIsExplicit = explicitPath
        if configuration.repository.url != nil && !explicitPath {
            configuration.repository.path = LocalPath.join(configuration.state.directory, "repository.git")
        }
        if let node = top["daemon"] {
            configuration.daemon = try readDaemon(node, reader: reader)
        }
        if let node = top["targets"] {
            configuration.targets = try readTargets(node, reader: reader, base: base)
        }
        if let value = top["defaultTarget"] {
            configuration.defaultTarget = try reader.string(value, path: "defaultTarget")
            _ = try configuration.target(named: configuration.defaultTarget)
        }
        return configuration
    }

    func readTargets(_ node: YAMLNode, reader: NodeReader, base: String) throws(ConfigurationError) -> [TargetSettings] {
        guard case .mapping(let mapping, _) = node else { throw reader.error(node, "'targets' must be a mapping of target names") }
        var targets: [TargetSettings] = []
        for (keyNode, value) in mapping {
            let name = try reader.string(keyNode, path: "targets")
            guard Self.isTargetName(name) else {
                throw reader.error(keyNode, "target name '\(name)' may use letters, digits, '-' and '_' only (it names the state file)")
            }
            let path = "targets.\(name)"
            let section = try reader.mapping(value, path: path, allowed: ["kind", "flowService", "flxpoint", "versori", "onConflict", "unrecordedDifference", "prune", "patches", "http", "passDeadline"])
            var target = TargetSettings(name: name, kind: .flowService, flowService: FlowServiceSettings())
            if let kindNode = section["kind"] {
                let kind = try reader.string(kindNode, path: path + ".kind")
                guard let parsed = TargetSettings.Kind(rawValue: kind) else {
                    throw reader.error(kindNode, "unknown target kind '\(kind)' at \(path).kind; known: \(TargetSettings.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                target.kind = parsed
            }
            // Only the section of the target's own kind: settings for another API would be ignored.
            for other in TargetSettings.Kind.allCases where other != target.kind {
                if let node = section[other.rawValue] {
                    throw reader.error(node, "\(path) is a \(target.kind.rawValue) target; its '\(other.rawValue)' settings would be ignored: set kind: \(other.rawValue) or remove them")
                }
            }
            if let node = section["flowService"] {
                target.flowService = try readFlowService(node, path: path + ".flowService", reader: reader)
            }
            if let node = section["flxpoint"] {
                target.flxpoint = try readFlxpoint(node, path: path + ".flxpoint", reader: reader)
            }
            if let node = section["versori"] {
                target.versori = try readVersori(node, path: path + ".versori", reader: reader)
            }
            if let node = section["onConflict"] {
                let text = try reader.string(node, path: path + ".onConflict")
                guard let policy = TargetSettings.ConflictPolicy(rawValue: text) else {
                    throw reader.error(node, "\(path).onConflict must be refuse or overwrite; found '\(text)'")
                }
                target.onConflict = policy
            }
            if let node = section["unrecordedDifference"] {
                let text = try reader.string(node, path: path + ".unrecordedDifference")
                guard let policy = TargetSettings.UnrecordedDifferencePolicy(rawValue: text) else {
                    throw reader.error(node, "\(path).unrecordedDifference must be update or refuse; found '\(text)'")
                }
                target.unrecordedDifference = policy
            }
            if let node = section["prune"] {
                let prune = try reader.mapping(node, path: path + ".prune", allowed: ["enabled", "limit"])
                if let enabled = prune["enabled"] { target.prune = try reader.boolean(enabled, path: path + ".prune.enabled") }
                if let limit = prune["limit"] { target.pruneLimit = try reader.number(limit, path: path + ".prune.limit", range: 0...10_000, as: Int.self) }
            }
            if let node = section["patches"] {
                let patches = try reader.mapping(node, path: path + ".patches", allowed: ["all", "bundles"])
                if let all = patches["all"] { target.patchAll = absolute(try reader.string(all, path: path + ".patches.all"), base: base) }
                if let bundles = patches["bundles"] {
                    guard case .mapping(let mapping, _) = bundles else { throw reader.error(bundles, "\(path).patches.bundles must map bundle names to patch files") }
                    for (key, file) in mapping {
                        target.patchBundles[try reader.string(key, path: path + ".patches.bundles")] =
                            absolute(try reader.string(file, path: path + ".patches.bundles"), base: base)
                    }
                }
            }
            if let node = section["http"] {
                target.http = try readHTTP(node, path: path + ".http", reader: reader)
            }
            if let node = section["passDeadline"] {
                target.passDeadline = try reader.duration(node, path: path + ".passDeadline")
            }
            try checkCleartext(target, section: section, path: path, reader: reader)
            targets.append(target)
        }
        return targets
    }

    func readHTTP(_ node: YAMLNode, path: String, reader: NodeReader) throws(ConfigurationError) -> HTTPSettings {
        let section = try reader.mapping(node, path: path, allowed: ["connectTimeout", "requestTimeout", "allowInsecureHTTP"])
        var settings = HTTPSettings()
        if let value = section["connectTimeout"] { settings.connectTimeout = try reader.duration(value, path: path + ".connectTimeout") }
        if let value = section["requestTimeout"] { settings.requestTimeout = try reader.duration(value, path: path + ".requestTimeout") }
        if let value = section["allowInsecureHTTP"] { settings.allowInsecureHTTP = try reader.boolean(value, path: path + ".allowInsecureHTTP") }
        return settings
    }

    /// Every URL of the target's own kind (Flow Service's baseURL and imsURL, Flxpoint's or Versori's
    /// baseURL) must be https or loopback unless `http.allowInsecureHTTP` says otherwise.
    func checkCleartext(_ target: TargetSettings, section: [(String, YAMLNode)], path: String, reader: NodeReader) throws(ConfigurationError) {
        guard case .mapping(let entries, _)? = section[target.kind.rawValue] else { return }
        for (keyNode, value) in entries {
            guard case .scalar(let key, _) = keyNode, key == "baseURL" || key == "imsURL", case .scalar(let url, _) = value,
                  !target.http.permits(url) else { continue }
            throw reader.error(value, Self.cleartextMessage(path: "\(path).\(target.kind.rawValue).\(key)", url: url, target: path))
        }
    }

    static func cleartextMessage(path: String, url: String, target: String) -> String {
        "'\(path)' is \(url): plain http to a host that is not loopback would send the credentials in clear; use https, or set \(target).http.allowInsecureHTTP: true if the network is trusted"
    }

    /// `[A-Za-z0-9][A-Za-z0-9_-]*`, checked byte by byte: a regular expression would load ICU's
    /// regex engine into the daemon for this one check.
    static func isTargetName(_ name: String) -> Bool {
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard let first = name.utf8.first, isAlphanumeric(first) else { return false }
        return name.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// A remote URL; one with a password in it is refused, since the URL is logged and stored in the clone.
    func readRepositoryURL(_ node: YAMLNode, reader: NodeReader) throws(ConfigurationError) -> String {
        let url = try reader.string(node, path: "repository.url")
        if url.contains(/^[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^\/@]*:[^\/@]*@/) {
            throw reader.error(node, "repository.url has a password in it (user:password@), which would be logged and stored in the clone's config; remove it from the URL and put it in repository.credentials instead (username: and token: {env: GIT_TOKEN})")
        }
        return url
    }

    func readGitCredentials(_ node: YAMLNode, reader: NodeReader) throws(ConfigurationError) -> GitCredentialSettings {
        let path = "repository.credentials"
        let section = try reader.mapping(node, path: path, allowed: ["username", "token", "sshKey"])
        var credentials = GitCredentialSettings(username: try section["username"].map { node throws(ConfigurationError) in try reader.string(node, path: path + ".username") } ?? "git")
        if let value = section["token"] { credentials.token = try readSecret(value, path: path + ".token", reader: reader) }
        if let value = section["sshKey"] {
            let key = try reader.mapping(value, path: path + ".sshKey", allowed: ["privateKey", "publicKey", "passphrase"])
            guard let privateKey = key["privateKey"] else { throw reader.error(value, "\(path).sshKey needs privateKey (a file path)") }
            credentials.sshPrivateKey = try reader.string(privateKey, path: path + ".sshKey.privateKey")
            if let publicKey = key["publicKey"] { credentials.sshPublicKey = try reader.string(publicKey, path: path + ".sshKey.publicKey") }
            if let passphrase = key["passphrase"] { credentials.sshPassphrase = try readSecret(passphrase, path: path + ".sshKey.passphrase", reader: reader) }
        }
        return credentials
    }

    func readDaemon(_ node: YAMLNode, reader: NodeReader) throws(ConfigurationError) -> DaemonSettings {
        let section = try reader.mapping(node, path: "daemon", allowed: ["pollInterval", "fetchInterval", "drift", "retry", "http"])
        var daemon = DaemonSettings()
        if let value = section["pollInterval"] { daemon.pollInterval = try reader.duration(value, path: "daemon.pollInterval") }
        if let value = section["fetchInterval"] { daemon.fetchInterval = try reader.duration(value, path: "daemon.fetchInterval") }
        if let value = section["drift"] {
            let drift = try reader.mapping(value, path: "daemon.drift", allowed: ["interval", "policy", "maxHeals"])
            if let maxHeals = drift["maxHeals"] { daemon.maxHeals = try reader.number(maxHeals, path: "daemon.drift.maxHeals", range: 1...1000, as: Int.self) }
            if let interval = drift["interval"] {
                daemon.driftInterval = try reader.string(interval, path: "daemon.drift.interval") == "off"
                    ? nil : try reader.duration(interval, path: "daemon.drift.interval")
            }
            if let policy = drift["policy"] {
                let text = try reader.string(policy, path: "daemon.drift.policy")
                guard let parsed = DaemonSettings.DriftPolicy(rawValue: text) else {
                    throw reader.error(policy, "daemon.drift.policy must be one of warn, heal, ignore; found '\(text)'")
                }
                daemon.driftPolicy = parsed
            }
        }
        if let value = section["retry"] {
            let retry = try reader.mapping(value, path: "daemon.retry", allowed: ["base", "max"])
            if let base = retry["base"] { daemon.retryBase = try reader.duration(base, path: "daemon.retry.base") }
            if let max = retry["max"] { daemon.retryMax = try reader.duration(max, path: "daemon.retry.max") }
        }
        if let value = section["http"] {
            let http = try reader.mapping(value, path: "daemon.http", allowed: ["enabled", "host", "port", "maxConnections", "requestHeadTimeout", "webhookSecret"])
            if let enabled = http["enabled"] { daemon.httpEnabled = try reader.boolean(enabled, path: "daemon.http.enabled") }
            if let host = http["host"] { daemon.httpHost = try reader.string(host, path: "daemon.http.host") }
            if let port = http["port"] { daemon.httpPort = try reader.number(port, path: "daemon.http.port", range: 0...65535, as: Int.self) }
            if let cap = http["maxConnections"] {
                daemon.httpMaxConnections = try reader.number(cap, path: "daemon.http.maxConnections", range: 1...4096, as: Int.self)
            }
            if let timeout = http["requestHeadTimeout"] {
                daemon.httpRequestHeadTimeout = try reader.duration(timeout, path: "daemon.http.requestHeadTimeout")
            }
            if let secret = http["webhookSecret"] { daemon.webhookSecret = try readSecret(secret, path: "daemon.http.webhookSecret", reader: reader) }
        }
        return daemon
    }

    /// `{credential: NAME}`, `{env: NAME}` or `{file: PATH}`.
    func readSecret(_ node: YAMLNode, path: String, reader: NodeReader) throws(ConfigurationError) -> SecretReference {
        let secret = try reader.mapping(node, path: path, allowed: ["credential", "env", "file"])
        guard secret.count == 1, let (key, valueNode) = secret.first else {
            throw reader.error(node, "\(path) needs exactly one of credential, env or file")
        }
        let name = try reader.string(valueNode, path: "\(path).\(key)")
        switch key {
        case "credential": return .credential(name)
        case "env": return .environment(name)
        default: return .file(name)
        }
    }

    func readFlowService(_ node: YAMLNode, path: String, reader: NodeReader) throws(ConfigurationError) -> FlowServiceSettings {
        let section = try reader.mapping(
            node, path: path,
            allowed: ["baseURL", "imsURL", "orgId", "sandbox", "clientId", "clientSecret", "scopes", "concurrency", "requestsPerSecond",
                      "flowSpecId", "flowSpecBundles"])
        var settings = FlowServiceSettings()
        if let value = section["baseURL"] { settings.baseURL = try reader.url(value, path: path + ".baseURL") }
        if let value = section["imsURL"] { settings.imsURL = try reader.url(value, path: path + ".imsURL") }
        if let value = section["orgId"] { settings.orgId = try reader.string(value, path: path + ".orgId") }
        if let value = section["sandbox"] { settings.sandbox = try reader.string(value, path: path + ".sandbox") }
        if let value = section["clientId"] { settings.clientId = try reader.string(value, path: path + ".clientId") }
        if let value = section["scopes"] { settings.scopes = try reader.strings(value, path: path + ".scopes") }
        if let value = section["concurrency"] {
            settings.concurrency = try reader.number(value, path: path + ".concurrency", range: 1...64, as: Int.self)
        }
        if let value = section["requestsPerSecond"] {
            settings.requestsPerSecond = try reader.number(value, path: path + ".requestsPerSecond", range: 0.01...10_000, as: Double.self)
        }
        if let value = section["clientSecret"] {
            settings.clientSecret = try readSecret(value, path: path + ".clientSecret", reader: reader)
        }
        if let value = section["flowSpecId"] {
            let id = try reader.string(value, path: path + ".flowSpecId")
            settings.flowSpecId = id == "off" ? nil : id
        }
        if let value = section["flowSpecBundles"] {
            guard case .mapping(let mapping, _) = value else { throw reader.error(value, "\(path).flowSpecBundles must map bundle names to flow spec ids") }
            for (key, id) in mapping {
                settings.flowSpecBundles[try reader.string(key, path: path + ".flowSpecBundles")] = try reader.string(id, path: path + ".flowSpecBundles")
            }
        }
        return settings
    }

    func readFlxpoint(_ node: YAMLNode, path: String, reader: NodeReader) throws(ConfigurationError) -> FlxpointSettings {
        let section = try reader.mapping(node, path: path, allowed: ["baseURL", "token", "requestsPerSecond", "concurrency", "root"])
        var settings = FlxpointSettings()
        if let value = section["token"] { settings.token = try readSecret(value, path: path + ".token", reader: reader) }
        if let value = section["requestsPerSecond"] {
            settings.requestsPerSecond = try reader.number(value, path: path + ".requestsPerSecond", range: 1...100, as: Int.self)
        }
        try readConnectionCommons(section, path: path, reader: reader, baseURL: &settings.baseURL, concurrency: &settings.concurrency, root: &settings.root)
        return settings
    }

    /// `baseURL`, `concurrency` and `root`, which every connection API's section has.
    func readConnectionCommons(
        _ section: [(String, YAMLNode)], path: String, reader: NodeReader, baseURL: inout String, concurrency: inout Int, root: inout String
    ) throws(ConfigurationError) {
        if let value = section["baseURL"] { baseURL = try reader.url(value, path: path + ".baseURL") }
        if let value = section["concurrency"] { concurrency = try reader.number(value, path: path + ".concurrency", range: 1...64, as: Int.self) }
        if let value = section["root"] { root = try reader.string(value, path: path + ".root") }
    }

    func readVersori(_ node: YAMLNode, path: String, reader: NodeReader) throws(ConfigurationError) -> VersoriSettings {
        let section = try reader.mapping(
            node, path: path, allowed: ["baseURL", "organisation", "apiKey", "requestsPerSecond", "concurrency", "root"])
        var settings = VersoriSettings()
        if let value = section["organisation"] { settings.organisation = try reader.string(value, path: path + ".organisation") }
        if let value = section["apiKey"] { settings.apiKey = try readSecret(value, path: path + ".apiKey", reader: reader) }
        if let value = section["requestsPerSecond"] {
            settings.requestsPerSecond = try reader.number(value, path: path + ".requestsPerSecond", range: 0.01...10_000, as: Double.self)
        }
        try readConnectionCommons(section, path: path, reader: reader, baseURL: &settings.baseURL, concurrency: &settings.concurrency, root: &settings.root)
        return settings
    }

    /// `SPECSYNC_REPOSITORY_PATH`, `SPECSYNC_TARGETS_PROD_FLOW_SERVICE_SANDBOX`, …
    func applyEnvironment(to configuration: inout Configuration) throws(ConfigurationError) {
        let base = currentDirectory
        for (variable, value) in environment.sorted(by: { $0.key < $1.key })
        where variable.hasPrefix("SPECSYNC_") && !Self.reservedVariables.contains(variable) {
            switch variable {
            case "SPECSYNC_REPOSITORY_PATH":
                configuration.repository.path = absolute(value, base: base)
                configuration.repository.pathIsExplicit = true
            case "SPECSYNC_REPOSITORY_REF": configuration.repository.ref = value
            case "SPECSYNC_BUNDLES_ROOT": configuration.bundles.root = value
            case "SPECSYNC_STATE_DIRECTORY": configuration.state.directory = absolute(value, base: base)
            case "SPECSYNC_DEFAULT_TARGET": configuration.defaultTarget = value
            default:
                guard try applyTargetVariable(variable, value, to: &configuration) else {
                    throw ConfigurationError(
                        source: variable, location: nil,
                        message: "unknown setting variable; known: SPECSYNC_REPOSITORY_PATH, SPECSYNC_REPOSITORY_REF, SPECSYNC_BUNDLES_ROOT, SPECSYNC_STATE_DIRECTORY, SPECSYNC_DEFAULT_TARGET, SPECSYNC_TARGETS_<NAME>_FLOW_SERVICE_{BASE_URL,IMS_URL,ORG_ID,SANDBOX,CLIENT_ID,CONCURRENCY,REQUESTS_PER_SECOND}, SPECSYNC_TARGETS_<NAME>_FLXPOINT_{BASE_URL,REQUESTS_PER_SECOND,CONCURRENCY,ROOT}, SPECSYNC_TARGETS_<NAME>_VERSORI_{BASE_URL,ORGANISATION,REQUESTS_PER_SECOND,CONCURRENCY,ROOT}")
                }
            }
        }
    }

    func applyTargetVariable(_ variable: String, _ value: String, to configuration: inout Configuration) throws(ConfigurationError) -> Bool {
        func integer(_ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let number = Int(value), range.contains(number) else { throw invalidNumber(variable, value, "\(range.lowerBound) to \(range.upperBound)") }
            return number
        }
        /// A URL from the environment obeys the cleartext rule of its target, like one from the file.
        func url(of target: TargetSettings) throws(ConfigurationError) -> String {
            guard target.http.permits(value) else {
                throw ConfigurationError(source: variable, location: nil,
                                         message: Self.cleartextMessage(path: variable, url: value, target: "targets.\(target.name)"))
            }
            return value
        }
        func rate() throws(ConfigurationError) -> Double {
            // The file's range: a rate of 1e-300 would make a pause of 1e300 s, which no Duration holds.
            guard let number = Double(value), (0.01...10_000).contains(number) else { throw invalidNumber(variable, value, "a number from 0.01 to 10000") }
            return number
        }
        for index in configuration.targets.indices {
            let prefix = "SPECSYNC_TARGETS_" + Self.environmentName(configuration.targets[index].name) + "_"
            guard variable.hasPrefix(prefix) else { continue }
            let setting = variable.dropFirst(prefix.count)
            switch setting {
            case "FLOW_SERVICE_BASE_URL": configuration.targets[index].flowService.baseURL = try url(of: configuration.targets[index])
            case "FLOW_SERVICE_IMS_URL": configuration.targets[index].flowService.imsURL = try url(of: configuration.targets[index])
            case "FLOW_SERVICE_ORG_ID": configuration.targets[index].flowService.orgId = value
            case "FLOW_SERVICE_SANDBOX": configuration.targets[index].flowService.sandbox = value
            case "FLOW_SERVICE_CLIENT_ID": configuration.targets[index].flowService.clientId = value
            case "FLOW_SERVICE_CONCURRENCY": configuration.targets[index].flowService.concurrency = try integer(1...64)
            case "FLOW_SERVICE_REQUESTS_PER_SECOND": configuration.targets[index].flowService.requestsPerSecond = try rate()
            case "FLXPOINT_BASE_URL": configuration.targets[index].flxpoint.baseURL = try url(of: configuration.targets[index])
            case "FLXPOINT_REQUESTS_PER_SECOND": configuration.targets[index].flxpoint.requestsPerSecond = try integer(1...100)
            case "FLXPOINT_CONCURRENCY": configuration.targets[index].flxpoint.concurrency = try integer(1...64)
            case "FLXPOINT_ROOT": configuration.targets[index].flxpoint.root = value
            case "VERSORI_BASE_URL": configuration.targets[index].versori.baseURL = try url(of: configuration.targets[index])
            case "VERSORI_ORGANISATION": configuration.targets[index].versori.organisation = value
            case "VERSORI_CONCURRENCY": configuration.targets[index].versori.concurrency = try integer(1...64)
            case "VERSORI_REQUESTS_PER_SECOND": configuration.targets[index].versori.requestsPerSecond = try rate()
            case "VERSORI_ROOT": configuration.targets[index].versori.root = value
            default: continue  // another target's name may start with this one's
            }
            return true
        }
        return false
    }

    func invalidNumber(_ variable: String, _ value: String, _ expected: String) -> ConfigurationError {
        ConfigurationError(source: variable, location: nil, message: "'\(value)' is not \(expected)")
    }

    /// The longest duration any setting takes: longer ones are mistakes, and far longer ones would
    /// overflow the clocks' arithmetic (a backoff doubles it up to 2^30 times; sleeps add it to now).
    public static let maximumDuration: Duration = .seconds(365 * 86_400)

    /// "500ms", "2s", "5m", "1h", "1d"; nil when malformed, negative, not finite or over
    /// `maximumDuration` (checked before any conversion to an integer, which would trap).
    public static func parseDuration(_ text: String) -> Duration? {
        guard case .valid(let duration) = checkDuration(text) else { return nil }
        return duration
    }

    enum DurationCheck: Equatable {
        case valid(Duration)
        case malformed
        case tooLong
    }

    static func checkDuration(_ text: String) -> DurationCheck {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // Digits and one point only: Double also reads "nan", "inf" and hexadecimal.
            guard !number.isEmpty, number.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 || $0 == 0x2B || $0 == 0x2D }),
                  let value = Double(number), value >= 0 else { return .malformed }
            let milliseconds = (value * seconds * 1000).rounded(.down)
            let maximum = Double(maximumDuration.components.seconds) * 1000
            guard milliseconds.isFinite, milliseconds <= maximum else { return .tooLong }
            return .valid(.milliseconds(Int64(milliseconds)))
        }
        return .malformed
    }

    /// "prod-eu" → "PROD_EU".
    public static func environmentName(_ name: String) -> String {
        name.uppercased().replacing("-", with: "_")
    }

    func absolute(_ path: String, base: String) -> String {
        LocalPath.resolved(path, relativeTo: base, home: environment["HOME"])
    }
}

/// Reads typed values out of a YAML node tree, with the key path and line:column in every error.
struct NodeReader {
    let source: String

    func error(_ node: YAMLNode, _ message: String) -> ConfigurationError {
        ConfigurationError(source: source, location: node.mark.description, message: message)
    }

    /// A mapping with string keys, each in `allowed`.
    func mapping(_ node: YAMLNode, path: String, allowed: [String]) throws(ConfigurationError) -> [(String, YAMLNode)] {
        guard case .mapping(let mapping, _) = node else {
            throw error(node, "'\(path.isEmpty ? "the top level" : path)' must be a mapping")
        }
        var result: [(String, YAMLNode)] = []
        for (keyNode, value) in mapping {
            let key = try string(keyNode, path: path)
            guard allowed.contains(key) else {
                let location = path.isEmpty ? "at the top level" : "under '\(path)'"
                throw error(keyNode, "unknown key '\(key)' \(location); known keys: \(allowed.joined(separator: ", "))")
            }
            result.append((key, value))
        }
        return result
    }

    func string(_ node: YAMLNode, path: String) throws(ConfigurationError) -> String {
        guard case .scalar(let text, _) = node else { throw error(node, "'\(path)' must be a single value") }
        return text
    }

    func strings(_ node: YAMLNode, path: String) throws(ConfigurationError) -> [String] {
        guard case .sequence(let sequence, _) = node else { throw error(node, "'\(path)' must be a list") }
        var values: [String] = []
        for element in sequence { values.append(try string(element, path: path)) }
        return values
    }

    func boolean(_ node: YAMLNode, path: String) throws(ConfigurationError) -> Bool {
        switch try string(node, path: path) {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw error(node, "'\(path)' must be true or false, found '\(other)'")
        }
    }

    func number<T: LosslessStringConvertible & Comparable>(_ node: YAMLNode, path: String, range: ClosedRange<T>, as type: T.Type) throws(ConfigurationError) -> T {
        let text = try string(node, path: path)
        guard let value = T(text), range.contains(value) else {
            throw error(node, "'\(path)' must be a number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
        }
        return value
    }

    /// "500ms", "2s", "5m", "1h", "1d".
    func duration(_ node: YAMLNode, path: String) throws(ConfigurationError) -> Duration {
        let text = try string(node, path: path)
        switch ConfigurationLoader.checkDuration(text) {
        case .valid(let duration) where duration > .zero:
            return duration
        case .tooLong:
            throw error(node, "'\(path)' is '\(text)', longer than the longest duration specsync takes (365d): use a shorter one")
        default:
            throw error(node, "'\(path)' must be a positive duration such as 500ms, 30s, 5m or 1h; found '\(text)'")
        }
    }

    func url(_ node: YAMLNode, path: String) throws(ConfigurationError) -> String {
        let value = try string(node, path: path)
        guard let url = URL(string: value), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw error(node, "'\(path)' must be an http(s) URL, found '\(value)'")
        }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }
}

extension Array where Element == (String, YAMLNode) {
    subscript(key: String) -> YAMLNode? { first { $0.0 == key }?.1 }
}
