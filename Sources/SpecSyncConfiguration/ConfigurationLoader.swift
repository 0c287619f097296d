#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncJSON

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
        // `targets` is a mapping of names, each read through `ConfigurationKeys.target`.
        // `notifications` is a mapping of receiver names, read by `readNotifications`.
        let top = try reader.mapping(root, path: "", allowed: Self.children(of: [], in: ConfigurationKeys.global) + ["targets", "notifications"])
        let read = try read(root, at: [], shown: "", table: ConfigurationKeys.global, into: &configuration,
                            reader: reader, base: base, also: ["targets", "notifications"])
        let applied = Set(read.map(\.key.path))
        try checkStateBackend(configuration.state, node: top["state"], reader: reader)
        if applied.contains("repository.url") && !applied.contains("repository.ref") { configuration.repository.ref = "origin/main" }
        if configuration.repository.url != nil && !configuration.repository.pathIsExplicit {
            configuration.repository.path = LocalPath.join(configuration.state.directory, "repository.git")
        }
        if let node = top["targets"] {
            configuration.targets = try readTargets(node, reader: reader, base: base)
        }
        if let node = top["notifications"] { configuration.notifications = try readNotifications(node, reader: reader) }
        if applied.contains("defaultTarget") {
            _ = try configuration.target(named: configuration.defaultTarget)
        }
        return configuration
    }

    /// The names one level under `prefix` in `table` (settings and sections), in the table's order.
    static func children<Root>(of prefix: [String], in table: [ConfigurationKey<Root>]) -> [String] {
        var names: [String] = []
        for key in table {
            let components = key.components
            guard components.count > prefix.count, Array(components.prefix(prefix.count)) == prefix else { continue }
            if !names.contains(components[prefix.count]) { names.append(components[prefix.count]) }
        }
        return names
    }

    /// Reads the mapping `node`, at `prefix` of `table` (`shown` in messages), into `root`; names in
    /// `also` are allowed and left to the caller. Returns every key set, with the node of its value.
    func read<Root>(
        _ node: YAMLNode, at prefix: [String], shown: String, table: [ConfigurationKey<Root>], into root: inout Root,
        reader: NodeReader, base: String, also: [String] = []
    ) throws(ConfigurationError) -> [(key: ConfigurationKey<Root>, node: YAMLNode)] {
        let section = try reader.mapping(node, path: shown, allowed: Self.children(of: prefix, in: table) + also)
        var applied: [(key: ConfigurationKey<Root>, node: YAMLNode)] = []
        for (name, value) in section where !also.contains(name) {
            let path = prefix + [name]
            let full = shown.isEmpty ? name : shown + "." + name
            if let key = table.first(where: { $0.components == path }) {
                key.set(&root, try self.value(value, type: key.type, path: full, reader: reader, base: base))
                applied.append((key, value))
            } else {
                applied += try read(value, at: path, shown: full, table: table, into: &root, reader: reader, base: base)
            }
        }
        for key in table where key.isRequired && Array(key.components.dropLast()) == prefix {
            let name = key.components[prefix.count]
            if section[name] == nil { throw reader.error(node, "\(shown) needs \(name) (\(key.doc))") }
        }
        return applied
    }

    /// The value of a key of `type` at `node`.
    func value(_ node: YAMLNode, type: ConfigurationValueType, path: String, reader: NodeReader, base: String) throws(ConfigurationError) -> ConfigurationValue {
        switch type {
        case .strings:
            return .strings(try reader.strings(node, path: path))
        case .secret:
            return .secret(try readSecret(node, path: path, reader: reader))
        case .file:
            return .file(try readFile(node, path: path, base: base, reader: reader))
        case .stringMap, .pathMap:
            guard case .mapping(let mapping, _) = node else { throw reader.error(node, "'\(path)' must be \(type.expected)") }
            var map: [String: String] = [:]
            for (keyNode, valueNode) in mapping {
                let value = try reader.string(valueNode, path: path)
                map[try reader.string(keyNode, path: path)] = type == .pathMap ? absolute(value, base: base) : value
            }
            return .map(map)
        default:
            let text = try reader.string(node, path: path)
            switch type.scalar(text) {
            case .success(let value): return type == .path ? .text(absolute(value.text, base: base)) : value
            case .failure(let problem): throw reader.error(node, Self.message(problem, type: type, path: path, text: text))
            }
        }
    }

    /// What is wrong with `text` as the value of the file's key `path`.
    static func message(_ problem: ConfigurationValueType.Problem, type: ConfigurationValueType, path: String, text: String) -> String {
        switch problem {
        case .unexpected: "'\(path)' must be \(type.expected), found '\(text)'"
        case .tooLong: "'\(path)' is '\(text)', longer than the longest duration specsync takes (365d): use a shorter one"
        case .password where type == .postgresURL: "'\(path)' holds a password: " + postgresPasswordHelp
        case .password: "\(path) has a password in it (user:password@), which would be logged and stored in the clone's config; " + passwordHelp
        }
    }

    /// What is wrong with `text` as the value of a variable (the error's source names it).
    static func message(_ problem: ConfigurationValueType.Problem, type: ConfigurationValueType, text: String) -> String {
        switch problem {
        case .unexpected: "'\(text)' is not \(type.expected)"
        case .tooLong: "'\(text)' is longer than the longest duration specsync takes (365d): use a shorter one"
        case .password where type == .postgresURL: "the URL holds a password: " + postgresPasswordHelp
        case .password: "the URL has a password in it (user:password@), which would be logged and stored in the clone's config; " + passwordHelp
        }
    }

    static let postgresPasswordHelp = "remove it from the URL and name it under state.postgres.password ({credential: NAME}, {env: NAME} or {file: PATH})"
    static let passwordHelp = "remove it from the URL and put it in repository.credentials instead (username: and token: {env: GIT_TOKEN})"

    func readTargets(_ node: YAMLNode, reader: NodeReader, base: String) throws(ConfigurationError) -> [TargetSettings] {
        guard case .mapping(let mapping, _) = node else { throw reader.error(node, "'targets' must be a mapping of target names") }
        var targets: [TargetSettings] = []
        for (keyNode, value) in mapping {
            let name = try reader.string(keyNode, path: "targets")
            guard Self.isTargetName(name) else {
                throw reader.error(keyNode, "target name '\(name)' may use letters, digits, '-' and '_' only (it names the state file)")
            }
            let path = "targets.\(name)"
            // `verify` holds per-bundle mappings, read by `readVerify`.
            let section = try reader.mapping(value, path: path, allowed: Self.children(of: [], in: ConfigurationKeys.target) + ["verify"])
            var target = TargetSettings(name: name, kind: .flowService, flowService: FlowServiceSettings())
            // The kind first: it decides which API's section the target may have.
            if let kindNode = section["kind"] {
                let kind = try reader.string(kindNode, path: path + ".kind")
                guard let parsed = TargetSettings.Kind(rawValue: kind) else {
                    throw reader.error(kindNode, "unknown target kind '\(kind)' at \(path).kind; known: \(TargetSettings.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                target.kind = parsed
            }
            // Only the section of the target's own kind: settings for another API would be ignored.
            for key in ConfigurationKeys.target {
                guard let kind = key.kind, kind != target.kind, let node = section[key.components[0]] else { continue }
                throw reader.error(node, Self.otherKindMessage(target: path, kind: target.kind, section: key.components[0], sectionKind: kind))
            }
            let applied = try read(value, at: [], shown: path, table: ConfigurationKeys.target, into: &target, reader: reader, base: base, also: ["verify"])
            if let node = section["verify"] { target.verify = try readVerify(node, path: path + ".verify", reader: reader) }
            // Every URL of the target obeys its cleartext rule, whatever order the file sets them in.
            for (key, node) in applied where key.type == .url {
                guard case .scalar(let url, _) = node, !target.http.permits(url) else { continue }
                throw reader.error(node, Self.cleartextMessage(path: "\(path).\(key.path)", url: url, target: path))
            }
            targets.append(target)
        }
        return targets
    }

    static func otherKindMessage(
        target: String, kind: TargetSettings.Kind, section: String, sectionKind: TargetSettings.Kind, fix: String = "or remove them"
    ) -> String {
        "\(target) is a \(kind.rawValue) target; its '\(section)' settings would be ignored: set kind: \(sectionKind.rawValue) \(fix)"
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

    /// The rule of `state.backend` that spans keys: postgres needs `state.postgres` (its URL's
    /// form is the key type's, `.postgresURL`, checked in the file and the environment alike).
    func checkStateBackend(_ state: Configuration.StateSettings, node: YAMLNode?, reader: NodeReader) throws(ConfigurationError) {
        if state.backend == .postgres && state.postgres == nil, let node {
            throw reader.error(node, "'state.backend' is postgres but 'state.postgres' is missing: add state.postgres.url (postgres://user@host:port/database)")
        }
    }

    /// A path (relative to the configuration's folder), `{file: PATH}`, or `{credential: NAME}` (a file in
    /// `$CREDENTIALS_DIRECTORY`, as systemd's LoadCredential= gives it).
    func readFile(_ node: YAMLNode, path: String, base: String, reader: NodeReader) throws(ConfigurationError) -> FileLocation {
        guard case .mapping = node else { return .path(absolute(try reader.string(node, path: path), base: base)) }
        let entries = try reader.mapping(node, path: path, allowed: ["credential", "file"])
        guard entries.count == 1, let (key, valueNode) = entries.first else {
            throw reader.error(node, "\(path) needs a path, or exactly one of credential or file")
        }
        let value = try reader.string(valueNode, path: "\(path).\(key)")
        guard key == "credential" else { return .path(absolute(value, base: base)) }
        guard !value.isEmpty, !value.contains("/"), !value.hasPrefix(".") else {
            throw reader.error(valueNode, "\(path).credential must be a credential's name (a file name in $CREDENTIALS_DIRECTORY, no '/'), got '\(value)'")
        }
        return .credential(value)
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

    /// `SPECSYNC_REPOSITORY_PATH`, `SPECSYNC_TARGETS_PROD_FLOW_SERVICE_SANDBOX`, …: each the variable
    /// of a key in `ConfigurationKeys`, checked as the file's value is.
    func applyEnvironment(to configuration: inout Configuration) throws(ConfigurationError) {
        var urls: [(target: Int, variable: String, url: String)] = []
        for (variable, value) in environment.sorted(by: { $0.key < $1.key })
        where variable.hasPrefix("SPECSYNC_") && !Self.reservedVariables.contains(variable) {
            if let key = ConfigurationKeys.global.first(where: { $0.variable == variable }) {
                key.set(&configuration, try environmentValue(value, type: key.type, variable: variable))
            } else if let (target, key) = try targetKey(of: variable, in: configuration) {
                let parsed = try environmentValue(value, type: key.type, variable: variable)
                key.set(&configuration.targets[target], parsed)
                if key.type == .url { urls.append((target, variable, parsed.text)) }
            } else {
                throw ConfigurationError(
                    source: variable, location: nil,
                    message: "unknown setting variable; known: \(ConfigurationKeys.knownVariables.joined(separator: ", "))")
            }
        }
        // A URL from the environment obeys the cleartext rule of its target, like one from the file,
        // once every variable (its http.allowInsecureHTTP too) is in.
        for (index, variable, url) in urls where !configuration.targets[index].http.permits(url) {
            throw ConfigurationError(source: variable, location: nil,
                                     message: Self.cleartextMessage(path: variable, url: url, target: "targets.\(configuration.targets[index].name)"))
        }
    }

    /// The target and key `variable` names; another kind's key is an error in words, not ignored.
    func targetKey(of variable: String, in configuration: Configuration) throws(ConfigurationError) -> (Int, ConfigurationKey<TargetSettings>)? {
        var otherKind: (TargetSettings, ConfigurationKey<TargetSettings>)?
        for (index, target) in configuration.targets.enumerated() {
            let prefix = "SPECSYNC_TARGETS_" + Self.environmentName(target.name) + "_"
            guard variable.hasPrefix(prefix) else { continue }
            let setting = String(variable.dropFirst(prefix.count))
            // Another target's name may start with this one's.
            guard let key = ConfigurationKeys.target.first(where: { $0.variable == setting }) else { continue }
            if let kind = key.kind, kind != target.kind {
                otherKind = (target, key)
                continue
            }
            return (index, key)
        }
        guard let (target, key) = otherKind else { return nil }
        throw ConfigurationError(
            source: variable, location: nil,
            message: Self.otherKindMessage(target: "targets.\(target.name)", kind: target.kind, section: key.components[0], sectionKind: key.kind!,
                                           fix: "in the configuration, or unset \(variable)"))
    }

    /// The value of a variable for a key of `type`, checked as the file's value is.
    func environmentValue(_ text: String, type: ConfigurationValueType, variable: String) throws(ConfigurationError) -> ConfigurationValue {
        switch type.scalar(text) {
        case .success(.file(.path(let path))): return .file(.path(absolute(path, base: currentDirectory)))
        case .success(let value): return type == .path ? .text(absolute(value.text, base: currentDirectory)) : value
        case .failure(let problem): throw ConfigurationError(source: variable, location: nil, message: Self.message(problem, type: type, text: text))
        }
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
}

extension Array where Element == (String, YAMLNode) {
    subscript(key: String) -> YAMLNode? { first { $0.0 == key }?.1 }
}
