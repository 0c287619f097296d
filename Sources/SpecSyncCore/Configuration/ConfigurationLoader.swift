import Foundation
import Yams

/// Reads `specsync.yaml` strictly: an unknown key is an error naming the key and where it is, so a
/// typo never silently falls back to a default. `SPECSYNC_…` environment variables override file
/// values; an unknown one is an error too.
public struct ConfigurationLoader: Sendable {
    /// Variables that are not settings.
    public static let reservedVariables: Set<String> = ["SPECSYNC_CONFIG"]
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
        let implicit = (currentDirectory as NSString).appendingPathComponent(Self.defaultFileName)
        var configuration: Configuration
        if let candidate {
            configuration = try loadFile(absolute(candidate, base: currentDirectory))
        } else if FileManager.default.fileExists(atPath: implicit) {
            configuration = try loadFile(implicit)
        } else {
            configuration = Configuration.defaults(currentDirectory: currentDirectory, environment: environment)
        }
        try applyEnvironment(to: &configuration)
        return configuration
    }

    public func loadFile(_ path: String) throws(ConfigurationError) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(source: path, location: nil, message: "cannot read the configuration file (\(error.localizedDescription))")
        }
        return try parse(text, source: path)
    }

    /// Parses YAML text; relative paths resolve against the folder of `source`.
    public func parse(_ text: String, source: String) throws(ConfigurationError) -> Configuration {
        let base = (absolute(source, base: currentDirectory) as NSString).deletingLastPathComponent
        var configuration = Configuration.defaults(currentDirectory: base, environment: environment)
        configuration.source = source
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError(source: source, location: nil, message: "not valid YAML: \(error)")
        } catch {
            throw ConfigurationError(source: source, location: nil, message: "not valid YAML: \(error)")
        }
        guard let root else { return configuration }
        let reader = NodeReader(source: source)
        let top = try reader.mapping(root, path: "", allowed: ["repository", "bundles", "state", "targets", "defaultTarget"])
        if let node = top["repository"] {
            let section = try reader.mapping(node, path: "repository", allowed: ["path", "ref"])
            if let value = section["path"] { configuration.repository.path = absolute(try reader.string(value, path: "repository.path"), base: base) }
            if let value = section["ref"] { configuration.repository.ref = try reader.string(value, path: "repository.ref") }
        }
        if let node = top["bundles"] {
            let section = try reader.mapping(node, path: "bundles", allowed: ["root"])
            if let value = section["root"] { configuration.bundles.root = try reader.string(value, path: "bundles.root") }
        }
        if let node = top["state"] {
            let section = try reader.mapping(node, path: "state", allowed: ["directory"])
            if let value = section["directory"] {
                configuration.state.directory = absolute(try reader.string(value, path: "state.directory"), base: base)
            }
        }
        if let node = top["targets"] {
            configuration.targets = try readTargets(node, reader: reader)
        }
        if let value = top["defaultTarget"] {
            configuration.defaultTarget = try reader.string(value, path: "defaultTarget")
            _ = try configuration.target(named: configuration.defaultTarget)
        }
        return configuration
    }

    func readTargets(_ node: Node, reader: NodeReader) throws(ConfigurationError) -> [TargetSettings] {
        guard case .mapping(let mapping) = node else { throw reader.error(node, "'targets' must be a mapping of target names") }
        var targets: [TargetSettings] = []
        for (keyNode, value) in mapping {
            let name = try reader.string(keyNode, path: "targets")
            guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
                throw reader.error(keyNode, "target name '\(name)' may use letters, digits, '-' and '_' only (it names the state file)")
            }
            let path = "targets.\(name)"
            let section = try reader.mapping(value, path: path, allowed: ["kind", "flowService"])
            var target = TargetSettings(name: name, kind: .flowService, flowService: FlowServiceSettings())
            if let kindNode = section["kind"] {
                let kind = try reader.string(kindNode, path: path + ".kind")
                guard let parsed = TargetSettings.Kind(rawValue: kind) else {
                    throw reader.error(kindNode, "unknown target kind '\(kind)' at \(path).kind; known: \(TargetSettings.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                target.kind = parsed
            }
            if let node = section["flowService"] {
                target.flowService = try readFlowService(node, path: path + ".flowService", reader: reader)
            }
            targets.append(target)
        }
        return targets
    }

    func readFlowService(_ node: Node, path: String, reader: NodeReader) throws(ConfigurationError) -> FlowServiceSettings {
        let section = try reader.mapping(
            node, path: path,
            allowed: ["baseURL", "imsURL", "orgId", "sandbox", "clientId", "clientSecret", "scopes", "concurrency", "requestsPerSecond"])
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
            let secret = try reader.mapping(value, path: path + ".clientSecret", allowed: ["credential", "env", "file"])
            guard secret.count == 1, let (key, valueNode) = secret.first else {
                throw reader.error(value, "\(path).clientSecret needs exactly one of credential, env or file")
            }
            let name = try reader.string(valueNode, path: "\(path).clientSecret.\(key)")
            settings.clientSecret = switch key {
            case "credential": .credential(name)
            case "env": .environment(name)
            default: .file(name)
            }
        }
        return settings
    }

    /// `SPECSYNC_REPOSITORY_PATH`, `SPECSYNC_TARGETS_PROD_FLOW_SERVICE_SANDBOX`, …
    func applyEnvironment(to configuration: inout Configuration) throws(ConfigurationError) {
        let base = currentDirectory
        for (variable, value) in environment.sorted(by: { $0.key < $1.key })
        where variable.hasPrefix("SPECSYNC_") && !Self.reservedVariables.contains(variable) {
            switch variable {
            case "SPECSYNC_REPOSITORY_PATH": configuration.repository.path = absolute(value, base: base)
            case "SPECSYNC_REPOSITORY_REF": configuration.repository.ref = value
            case "SPECSYNC_BUNDLES_ROOT": configuration.bundles.root = value
            case "SPECSYNC_STATE_DIRECTORY": configuration.state.directory = absolute(value, base: base)
            case "SPECSYNC_DEFAULT_TARGET": configuration.defaultTarget = value
            default:
                guard try applyTargetVariable(variable, value, to: &configuration) else {
                    throw ConfigurationError(
                        source: variable, location: nil,
                        message: "unknown setting variable; known: SPECSYNC_REPOSITORY_PATH, SPECSYNC_REPOSITORY_REF, SPECSYNC_BUNDLES_ROOT, SPECSYNC_STATE_DIRECTORY, SPECSYNC_DEFAULT_TARGET, SPECSYNC_TARGETS_<NAME>_FLOW_SERVICE_{BASE_URL,IMS_URL,ORG_ID,SANDBOX,CLIENT_ID,CONCURRENCY,REQUESTS_PER_SECOND}")
                }
            }
        }
    }

    func applyTargetVariable(_ variable: String, _ value: String, to configuration: inout Configuration) throws(ConfigurationError) -> Bool {
        for index in configuration.targets.indices {
            let prefix = "SPECSYNC_TARGETS_" + Self.environmentName(configuration.targets[index].name) + "_FLOW_SERVICE_"
            guard variable.hasPrefix(prefix) else { continue }
            switch variable.dropFirst(prefix.count) {
            case "BASE_URL": configuration.targets[index].flowService.baseURL = value
            case "IMS_URL": configuration.targets[index].flowService.imsURL = value
            case "ORG_ID": configuration.targets[index].flowService.orgId = value
            case "SANDBOX": configuration.targets[index].flowService.sandbox = value
            case "CLIENT_ID": configuration.targets[index].flowService.clientId = value
            case "CONCURRENCY":
                guard let number = Int(value), (1...64).contains(number) else { throw invalidNumber(variable, value, "1 to 64") }
                configuration.targets[index].flowService.concurrency = number
            case "REQUESTS_PER_SECOND":
                guard let number = Double(value), number > 0 else { throw invalidNumber(variable, value, "a positive number") }
                configuration.targets[index].flowService.requestsPerSecond = number
            default: return false
            }
            return true
        }
        return false
    }

    func invalidNumber(_ variable: String, _ value: String, _ expected: String) -> ConfigurationError {
        ConfigurationError(source: variable, location: nil, message: "'\(value)' is not \(expected)")
    }

    /// "prod-eu" → "PROD_EU".
    public static func environmentName(_ name: String) -> String {
        name.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    func absolute(_ path: String, base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((base as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}

/// Reads typed values out of a YAML node tree, with the key path and line:column in every error.
struct NodeReader {
    let source: String

    func error(_ node: Node, _ message: String) -> ConfigurationError {
        ConfigurationError(source: source, location: node.mark.map { "\($0.line):\($0.column)" }, message: message)
    }

    /// A mapping with string keys, each in `allowed`.
    func mapping(_ node: Node, path: String, allowed: [String]) throws(ConfigurationError) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else {
            throw error(node, "'\(path.isEmpty ? "the top level" : path)' must be a mapping")
        }
        var result: [(String, Node)] = []
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

    func string(_ node: Node, path: String) throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "'\(path)' must be a single value") }
        return scalar.string
    }

    func strings(_ node: Node, path: String) throws(ConfigurationError) -> [String] {
        guard case .sequence(let sequence) = node else { throw error(node, "'\(path)' must be a list") }
        var values: [String] = []
        for element in sequence { values.append(try string(element, path: path)) }
        return values
    }

    func number<T: LosslessStringConvertible & Comparable>(_ node: Node, path: String, range: ClosedRange<T>, as type: T.Type) throws(ConfigurationError) -> T {
        let text = try string(node, path: path)
        guard let value = T(text), range.contains(value) else {
            throw error(node, "'\(path)' must be a number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
        }
        return value
    }

    func url(_ node: Node, path: String) throws(ConfigurationError) -> String {
        let value = try string(node, path: path)
        guard let url = URL(string: value), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw error(node, "'\(path)' must be an http(s) URL, found '\(value)'")
        }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }
}

extension Array where Element == (String, Node) {
    subscript(key: String) -> Node? { first { $0.0 == key }?.1 }
}
