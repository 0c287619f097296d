import SpecSyncCore
import SpecSyncJSON

/// What a state verb that writes did, in words and as JSON: CI jobs that call `state rm` or
/// `state push` read the serial and the bundles touched instead of parsing a sentence.
struct StateChange {
    /// The verb as typed: "rm", "mv", "push", "unlock", "rebind".
    let verb: String
    let statePath: String
    /// The state's serial and lineage after the change; nil when the verb wrote nothing (unlock).
    var serial: Int?
    var lineage: String?
    /// The bundles whose records the verb changed.
    var bundles: [String] = []
    /// Verb-specific facts (e.g. rebind's previous and new account).
    var details: [(String, String)] = []
    let sentence: String

    static let formatVersion = 1

    func render(_ format: PlainFormat) {
        switch format {
        case .text: Output.standardOutput(sentence)
        case .json: Output.standardOutput(JSONValue.object(json).prettyPrinted())
        }
    }

    var json: JSONObject {
        var object = JSONObject()
        object["formatVersion"] = .number(String(Self.formatVersion))
        object["verb"] = .string(verb)
        object["state"] = .string(statePath)
        object["serial"] = serial.map { .number(String($0)) } ?? .null
        object["lineage"] = lineage.map(JSONValue.string) ?? .null
        object["bundles"] = .array(bundles.map(JSONValue.string))
        for (key, value) in details { object[key] = .string(value) }
        object["message"] = .string(sentence)
        return object
    }

    /// Runs a write verb: on success its change is printed in `format`; on failure the error goes to
    /// standard error as always and, under `--format json`, also to standard output as
    /// `{"formatVersion", "verb", "error"}`, so a script that parses the output is never left with nothing.
    static func perform(_ verb: String, format: PlainFormat, _ body: () async throws -> StateChange) async throws {
        do {
            try await body().render(format)
        } catch {
            if format == .json {
                var object = JSONObject()
                object["formatVersion"] = .number(String(Self.formatVersion))
                object["verb"] = .string(verb)
                object["error"] = .string(String(describing: error))
                Output.standardOutput(JSONValue.object(object).prettyPrinted())
            }
            throw error
        }
    }
}
