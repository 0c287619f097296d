import SpecSyncCore
import SpecSyncJSON

/// What a preview runs the spec with, as the input file gives it:
/// `{"auth": {"type": …, <auth properties>}, "params": {…}, "window": {"start": …, "end": …}}`.
/// References (`$(env:…)`, `$(cred:…)`) are resolved before this is built.
public struct PreviewInput: Sendable, Hashable {
    /// An `authSpec` type (`BasicAuthentication`, `OAuth2RefreshCode`); nil sends no credentials.
    public var authType: String?
    /// The auth spec's properties (host, username, password, accessToken, domain, …) as text.
    public var auth: [String: String]
    /// The source spec's `spec.properties` values, as text.
    public var params: [String: String]
    public var window: ScheduleWindow?

    public init(authType: String? = nil, auth: [String: String] = [:], params: [String: String] = [:], window: ScheduleWindow? = nil) {
        self.authType = authType
        self.auth = auth
        self.params = params
        self.window = window
    }

    /// Reads the input document; a problem names the member at fault by its JSON pointer.
    public init(json: JSONValue) throws(PreviewInputError) {
        guard let root = json.objectValue else { throw PreviewInputError(pointer: .root, message: "the input must be a JSON object with auth, params and window, not \(json.kindName)") }
        for key in root.keys where !["auth", "params", "window"].contains(key) {
            throw PreviewInputError(pointer: JSONPointer(tokens: [key]), message: "unknown member '\(key)'; the input holds auth, params and window")
        }
        var authType: String?
        var auth: [String: String] = [:]
        if let value = root["auth"] {
            guard let object = value.objectValue else { throw PreviewInputError(pointer: JSONPointer("/auth"), message: "auth must be an object, not \(value.kindName)") }
            for (key, member) in object.members {
                let text = try Self.text(member, at: JSONPointer(tokens: ["auth", key]))
                if key == "type" { authType = text } else { auth[key] = text }
            }
            if authType == nil { throw PreviewInputError(pointer: JSONPointer("/auth"), message: "auth needs a type, one of the spec's authSpec types (e.g. BasicAuthentication)") }
        }
        var params: [String: String] = [:]
        if let value = root["params"] {
            guard let object = value.objectValue else { throw PreviewInputError(pointer: JSONPointer("/params"), message: "params must be an object, not \(value.kindName)") }
            for (key, member) in object.members { params[key] = try Self.text(member, at: JSONPointer(tokens: ["params", key])) }
        }
        var window: ScheduleWindow?
        if let value = root["window"] {
            guard let object = value.objectValue else { throw PreviewInputError(pointer: JSONPointer("/window"), message: "window must be an object with start and end, not \(value.kindName)") }
            var instants: [String: UTCInstant] = [:]
            for key in ["start", "end"] {
                let pointer = JSONPointer(tokens: ["window", key])
                guard let member = object[key] else { throw PreviewInputError(pointer: pointer, message: "window needs \(key), an RFC 3339 time such as 2024-01-01T00:00:00Z") }
                let text = try Self.text(member, at: pointer)
                guard let instant = UTCInstant(rfc3339: text) else {
                    throw PreviewInputError(pointer: pointer, message: "'\(text)' is not an RFC 3339 time such as 2024-01-01T00:00:00Z")
                }
                instants[key] = instant
            }
            window = ScheduleWindow(start: instants["start"]!, end: instants["end"]!)
        }
        self.init(authType: authType, auth: auth, params: params, window: window)
    }

    private static func text(_ value: JSONValue, at pointer: JSONPointer) throws(PreviewInputError) -> String {
        switch value {
        case .string(let text): return text
        case .number(let literal): return literal
        case .bool(let flag): return flag ? "true" : "false"
        default: throw PreviewInputError(pointer: pointer, message: "expected a string, number or boolean, found \(value.kindName)")
        }
    }
}

/// The input file is not of the expected form.
public struct PreviewInputError: Error, Sendable, CustomStringConvertible {
    public let pointer: JSONPointer
    public let message: String

    public var description: String { pointer.tokens.isEmpty ? message : "#\(pointer): \(message)" }
}
