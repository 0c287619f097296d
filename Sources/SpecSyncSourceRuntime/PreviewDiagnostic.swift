import SpecSyncCore
import SpecSyncJSON

/// One finding of a preview: what failed or looks wrong, where in the connection spec (a JSON
/// pointer), on which page, what was seen instead, and what to do.
public struct PreviewDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public let severity: Severity
    /// A stable identifier for the rule, for `--format json` consumers and tests.
    public let code: String
    /// Where in the connection spec the cause is, when it is in the spec.
    public let pointer: JSONPointer?
    /// The page (1-based) being fetched when it was seen.
    public let page: Int?
    public let message: String
    public let help: String?

    public init(_ severity: Severity, code: String, pointer: JSONPointer? = nil, page: Int? = nil, message: String, help: String? = nil) {
        self.severity = severity
        self.code = code
        self.pointer = pointer
        self.page = page
        self.message = message
        self.help = help
    }

    public var description: String {
        var text = "\(severity.rawValue): "
        if let pointer, !pointer.tokens.isEmpty { text += "#\(pointer): " }
        text += message
        if let help { text += " (\(help))" }
        return text
    }

    public var json: JSONValue {
        var object = JSONObject()
        object["severity"] = .string(severity.rawValue)
        object["code"] = .string(code)
        if let pointer { object["pointer"] = .string(pointer.description) }
        if let page { object["page"] = .number(String(page)) }
        object["message"] = .string(message)
        if let help { object["help"] = .string(help) }
        return .object(object)
    }
}

extension Array where Element == PreviewDiagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
