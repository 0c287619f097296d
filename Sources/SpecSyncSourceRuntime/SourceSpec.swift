import SpecSyncCore
import SpecSyncJSON

/// A connection spec's `sourceSpec` and `authSpec`, read into what a run needs: how to compose each
/// request, where the records are, how pages follow, and which credentials each auth type takes.
/// Every problem found while reading is a diagnostic pointing into the spec.
public struct SourceSpec: Sendable {
    /// A spec value with `${var}` placeholders and where it is written.
    public struct Templated: Sendable, Hashable {
        public let template: PlaceholderTemplate
        public let pointer: JSONPointer
    }

    public struct Parameter: Sendable, Hashable {
        public let name: String
        public let value: Templated
    }

    public struct Schedule: Sendable, Hashable {
        public let startName: String
        public let endName: String
        public let startFormat: ScheduleFormat
        public let endFormat: ScheduleFormat
    }

    /// One `authSpec` entry.
    public struct AuthOption: Sendable, Hashable {
        public let type: String
        public let required: [String]
        /// Properties declared `"format": "password"`: their values are secrets.
        public let secretProperties: Set<String>
        public let pointer: JSONPointer
    }

    public var method: String
    public var host: Templated?
    public var path: Templated
    public var query: [Parameter]
    public var headers: [Parameter]
    /// For POST: strings in it may hold placeholders.
    public var body: JSONValue?
    public var bodyPointer: JSONPointer
    public var content: RecordSelector
    public var explode: RecordSelector?
    public var pagination: Pagination
    public var paginationPointer: JSONPointer
    public var schedule: Schedule?
    public var authOptions: [AuthOption]

    static let attributes = JSONPointer("/sourceSpec/attributes")

    /// Reads the spec; nil with the reasons when it cannot be run.
    public static func parse(_ spec: JSONValue) -> (SourceSpec?, [PreviewDiagnostic]) {
        var problems: [PreviewDiagnostic] = []
        func error(_ code: String, _ pointer: JSONPointer, _ message: String, help: String? = nil) {
            problems.append(.init(.error, code: code, pointer: pointer, message: message, help: help))
        }
        guard let attributes = spec[attributes]?.objectValue else {
            return (nil, [.init(.error, code: "source-spec-missing", pointer: JSONPointer("/sourceSpec"),
                                message: "the spec has no sourceSpec.attributes, so there is no request to run",
                                help: "a batch source describes its request in sourceSpec.attributes.urlParams")])
        }
        let urlPointer = Self.attributes.appending("urlParams")
        let urlParams = attributes["urlParams"]?.objectValue ?? JSONObject()
        if attributes["urlParams"] == nil { error("url-params-missing", urlPointer, "sourceSpec.attributes.urlParams is missing") }
        func templated(_ object: JSONObject, _ key: String, at pointer: JSONPointer) -> Templated? {
            guard let value = object[key] else { return nil }
            guard let text = value.stringValue else { error("url-params-form", pointer.appending(key), "\(key) must be a string, not \(value.kindName)"); return nil }
            return Templated(template: PlaceholderTemplate(text), pointer: pointer.appending(key))
        }
        let method = (urlParams["method"]?.stringValue ?? "GET").uppercased()
        if method != "GET" && method != "POST" {
            error("url-params-method", urlPointer.appending("method"), "method '\(method)' is neither GET nor POST, the two the SDK runs")
        }
        let path = templated(urlParams, "path", at: urlPointer)
        if urlParams["path"] == nil, attributes["urlParams"] != nil { error("url-params-path", urlPointer.appending("path"), "urlParams.path is missing") }
        let host = templated(urlParams, "host", at: urlPointer)
        let query = parameters(urlParams["queryParams"], at: urlPointer.appending("queryParams"), problems: &problems)
        let headers = parameters(attributes["headerParams"], at: Self.attributes.appending("headerParams"), problems: &problems)

        let content = selector(attributes["contentPath"], at: Self.attributes.appending("contentPath"), problems: &problems)
        if attributes["contentPath"] == nil {
            error("content-path-missing", Self.attributes.appending("contentPath"), "sourceSpec.attributes.contentPath is missing: the runtime cannot tell where the records are",
                  help: "point contentPath.path at the array of records, e.g. $.items")
        }
        let explode = attributes["explodeEntityPath"].flatMap { selector($0, at: Self.attributes.appending("explodeEntityPath"), problems: &problems) }
        let paginationPointer = Self.attributes.appending("paginationParams")
        let (pagination, paginationProblems) = Pagination.parse(attributes["paginationParams"], at: paginationPointer)
        problems += paginationProblems

        var schedule: Schedule?
        if let object = attributes["scheduleParams"]?.objectValue,
           let startName = object["scheduleStartParamName"]?.stringValue, let endName = object["scheduleEndParamName"]?.stringValue {
            let startFormat = object["scheduleStartParamFormat"]?.stringValue ?? "yyyy-MM-ddTHH:mm:ssZ"
            let endFormat = object["scheduleEndParamFormat"]?.stringValue ?? startFormat
            schedule = Schedule(startName: startName, endName: endName, startFormat: ScheduleFormat(startFormat), endFormat: ScheduleFormat(endFormat))
        }

        var authOptions: [AuthOption] = []
        for (index, entry) in (spec[JSONPointer("/authSpec")]?.arrayValue ?? []).enumerated() {
            guard let type = entry[JSONPointer("/type")]?.stringValue else { continue }
            let properties = entry[JSONPointer("/spec/properties")]?.objectValue ?? JSONObject()
            let secrets = Set(properties.members.filter { $0.value[JSONPointer("/format")] == .string("password") }.map(\.key))
            let required = (entry[JSONPointer("/spec/required")]?.arrayValue ?? []).compactMap(\.stringValue)
            authOptions.append(AuthOption(type: type, required: required, secretProperties: secrets, pointer: JSONPointer(tokens: ["authSpec", String(index)])))
        }

        guard problems.isEmpty, let path, let content, let pagination else { return (nil, problems) }
        return (SourceSpec(
            method: method, host: host, path: path, query: query, headers: headers,
            body: attributes["bodyParams"], bodyPointer: Self.attributes.appending("bodyParams"), content: content, explode: explode,
            pagination: pagination, paginationPointer: paginationPointer, schedule: schedule, authOptions: authOptions), [])
    }

    /// `queryParams` and `headerParams`: an object of names to values, or the documented
    /// comma-separated `name=value` text.
    static func parameters(_ value: JSONValue?, at pointer: JSONPointer, problems: inout [PreviewDiagnostic]) -> [Parameter] {
        switch value {
        case nil, .null?:
            return []
        case .object(let object)?:
            var found: [Parameter] = []
            for (key, member) in object.members {
                let text: String
                switch member {
                case .string(let written): text = written
                case .number(let literal): text = literal
                default:
                    problems.append(.init(.error, code: "parameter-form", pointer: pointer.appending(key), message: "\(key) must be a string, not \(member.kindName)"))
                    continue
                }
                found.append(Parameter(name: key, value: Templated(template: PlaceholderTemplate(text), pointer: pointer.appending(key))))
            }
            return found
        case .string(let text)?:
            var found: [Parameter] = []
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).trimmingWhitespaceAndNewlines()
                guard parts.count == 2, !name.isEmpty else {
                    problems.append(.init(.error, code: "parameter-form", pointer: pointer,
                                          message: "'\(pair)' is not a name=value pair", help: "write comma-separated pairs, e.g. count=100,status=${status}"))
                    continue
                }
                found.append(Parameter(name: name, value: Templated(template: PlaceholderTemplate(String(parts[1])), pointer: pointer)))
            }
            return found
        case let other?:
            problems.append(.init(.error, code: "parameter-form", pointer: pointer, message: "expected an object or name=value text, found \(other.kindName)"))
            return []
        }
    }

    /// `contentPath`/`explodeEntityPath`: a path string or `{path, skipAttributes, keepAttributes, overrideWrapperAttribute}`.
    static func selector(_ value: JSONValue?, at pointer: JSONPointer, problems: inout [PreviewDiagnostic]) -> RecordSelector? {
        guard let value else { return nil }
        let written: String?
        var pathPointer = pointer
        var object = JSONObject()
        switch value {
        case .string(let text): written = text
        case .object(let found):
            object = found
            written = found["path"]?.stringValue
            pathPointer = pointer.appending("path")
        default: written = nil
        }
        guard let written else {
            problems.append(.init(.error, code: "content-path-form", pointer: pathPointer, message: "expected a JSONPath such as $.items, found \(value.kindName == "an object" ? "no path" : value.kindName)"))
            return nil
        }
        let path: JSONPath
        do { path = try JSONPath(written) } catch {
            problems.append(.init(.error, code: "jsonpath-syntax", pointer: pathPointer, message: error.description))
            return nil
        }
        func names(_ key: String) -> [String] {
            guard let member = object[key] else { return [] }
            guard let array = member.arrayValue, array.allSatisfy({ $0.stringValue != nil }) else {
                problems.append(.init(.error, code: "content-path-form", pointer: pointer.appending(key), message: "\(key) must be an array of member names"))
                return []
            }
            return array.compactMap(\.stringValue)
        }
        return RecordSelector(
            path: path, skipAttributes: names("skipAttributes"), keepAttributes: names("keepAttributes"),
            overrideWrapperAttribute: object["overrideWrapperAttribute"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }, pointer: pathPointer)
    }
}
