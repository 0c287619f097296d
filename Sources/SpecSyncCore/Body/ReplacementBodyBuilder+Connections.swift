import SpecSyncJSON
extension ReplacementBodyBuilder {
    /// What Flxpoint shows in place of a secret value.
    public static func isMaskedValue(_ text: String) -> Bool {
        text.count >= 3 && text.allSatisfy { $0 == "*" }
    }

    /// A Flxpoint config is `{handle, value}` on the way in; a GET answers with a dozen more fields
    /// per config (name, dataType, options, …). Those are dropped, so a pasted answer works as a file.
    func reduceFlxpointConfigs(_ object: inout JSONObject, file: String, diagnostics: inout [Diagnostic]) {
        guard case .array(let configs)? = object["configs"] else { return }
        var dropped: Set<String> = []
        var reduced: [JSONValue] = []
        for (index, config) in configs.enumerated() {
            guard case .object(let members) = config else {
                reduced.append(config)  // not an object: the validator names it
                continue
            }
            var kept = JSONObject()
            for (key, value) in members.members {
                if key == "handle" || key == "value" { kept[key] = value } else { dropped.insert(key) }
            }
            if case .string(let value)? = members["value"], Self.isMaskedValue(value) {
                diagnostics.append(Diagnostic(
                    .error, code: "masked-value", file: file, pointer: JSONPointer("/configs").appending(index).appending("value"),
                    message: "the value is Flxpoint's mask '\(value)', not the secret itself; sending it would overwrite the secret",
                    help: "write the real value as a reference, e.g. \"$(cred:flxpoint-password)\""))
            }
            reduced.append(.object(kept))
        }
        object["configs"] = .array(reduced)
        if !dropped.isEmpty {
            diagnostics.append(Diagnostic(
                .warning, code: "server-owned-field", file: file, pointer: JSONPointer("/configs"),
                message: "config fields \(dropped.sorted().map { "'\($0)'" }.joined(separator: ", ")) are set by Flxpoint and left out of the body",
                help: "keep only handle and value in each config"))
        }
    }

    /// Versori keeps a connection's variables when `variables` is absent from a PUT, so a file
    /// without it would leave stale variables behind: the body always states them, `[]` for none.
    func makeVersoriVariablesExplicit(_ object: inout JSONObject, file: String, diagnostics: inout [Diagnostic]) {
        guard !object.contains("variables") else { return }
        object["variables"] = .array([])
        diagnostics.append(Diagnostic(
            .warning, code: "variables-implicit", file: file, pointer: JSONPointer("/variables"),
            message: "the file has no 'variables'; specsync sends [] so the connection has none, as git says",
            help: "write \"variables\": [] to make this explicit, or list the variables"))
    }
}
