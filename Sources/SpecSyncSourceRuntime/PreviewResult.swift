import SpecSyncCore
import SpecSyncJSON

/// What a preview found: pages fetched, records, the first records, their inferred schema, and
/// every diagnostic. `formatVersion` versions the JSON form.
public struct PreviewResult: Sendable {
    public static let formatVersion = 1

    public var pages: Int = 0
    public var recordCount: Int = 0
    public var sample: [JSONValue] = []
    public var schema: JSONValue = .object(JSONObject())
    public var diagnostics: [PreviewDiagnostic] = []
    /// "METHOD URL" of every request sent, in order.
    public var requests: [String] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.hasErrors }

    /// `{"formatVersion", "pages", "recordCount", "sample", "schema", "diagnostics"}`.
    public var json: JSONValue {
        var object = JSONObject()
        object["formatVersion"] = .number(String(Self.formatVersion))
        object["pages"] = .number(String(pages))
        object["recordCount"] = .number(String(recordCount))
        object["sample"] = .array(sample)
        object["schema"] = schema
        object["diagnostics"] = .array(diagnostics.map(\.json))
        object["requests"] = .array(requests.map(JSONValue.string))
        return .object(object)
    }
}
