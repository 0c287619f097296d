/// One setting: where it is in `specsync.yaml`, what it holds, the `SPECSYNC_…` variable that
/// overrides it, and what it does. `ConfigurationLoader` reads the file and the environment only
/// through these (`ConfigurationKeys`), so that a value is checked the same way from both.
///
/// `Root` is `Configuration` for the global keys and `TargetSettings` for a target's keys, whose
/// paths are relative to `targets.<name>` and whose variables follow `SPECSYNC_TARGETS_<NAME>_`.
public struct ConfigurationKey<Root>: Sendable {
    /// Dotted, as written in the file: "daemon.http.port", "flowService.concurrency".
    public let path: String
    public let type: ConfigurationValueType
    /// The variable, or its part after `SPECSYNC_TARGETS_<NAME>_` for a target key; nil: file only.
    public let variable: String?
    /// The target kind whose section holds the key; nil for every kind (and for global keys).
    public let kind: TargetSettings.Kind?
    /// Its section must have it when the section is present.
    public let isRequired: Bool
    public let doc: String
    let set: @Sendable (inout Root, ConfigurationValue) -> Void

    /// A key whose variable is named after its path (`daemon.http.port` → `SPECSYNC_DAEMON_HTTP_PORT`,
    /// a target's `flowService.orgId` → `FLOW_SERVICE_ORG_ID`) when its type fits in one variable.
    init(
        _ path: String, _ type: ConfigurationValueType, kind: TargetSettings.Kind? = nil, variable: Bool = true,
        required: Bool = false, doc: String, set: @escaping @Sendable (inout Root, ConfigurationValue) -> Void
    ) {
        self.path = path
        self.type = type
        let name = Self.variableName(path)
        self.variable = variable && type.isScalar ? (Root.self == TargetSettings.self ? name : "SPECSYNC_" + name) : nil
        self.kind = kind
        self.isRequired = required
        self.doc = doc
        self.set = set
    }

    /// "daemon.http.requestHeadTimeout" → "DAEMON_HTTP_REQUEST_HEAD_TIMEOUT"; a run of capitals is one word ("baseURL" → "BASE_URL").
    static func variableName(_ path: String) -> String {
        path.split(separator: ".").map { component in
            var word = ""
            let characters = Array(component)
            for (index, character) in characters.enumerated() {
                let previous = index > 0 ? characters[index - 1] : nil
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { word += "_" }
                word += character.uppercased()
            }
            return word
        }.joined(separator: "_")
    }

    /// The full variable of a target key for target `name`.
    public func variable(forTarget name: String) -> String? {
        variable.map { "SPECSYNC_TARGETS_\(ConfigurationLoader.environmentName(name))_\($0)" }
    }

    /// The dotted path's components.
    var components: [String] { path.split(separator: ".").map(String.init) }
}
