import SpecSyncJSON
/// One finding about a bundle: what is wrong, where, and what to do about it.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case error, warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    public let severity: Severity
    /// A stable identifier for the rule, for filtering and for `--format json` consumers.
    public let code: String
    /// Repository-relative path of the file the finding is about.
    public let file: String
    /// Set for syntax errors and other byte-level findings.
    public let line: Int?
    public let column: Int?
    /// Set for findings about a value inside a JSON document.
    public let pointer: JSONPointer?
    public let message: String
    /// What to do about it.
    public let help: String?

    public init(
        _ severity: Severity, code: String, file: String, line: Int? = nil, column: Int? = nil,
        pointer: JSONPointer? = nil, message: String, help: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.pointer = pointer
        self.message = message
        self.help = help
    }

    /// "file:line:column" or "file#/json/pointer" or "file".
    public var location: String {
        if let line, let column { return "\(file):\(line):\(column)" }
        if let pointer, !pointer.tokens.isEmpty { return "\(file)#\(pointer)" }
        return file
    }

    public var description: String {
        var text = "\(location): \(severity.rawValue): \(message)"
        if let help { text += " (\(help))" }
        return text
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
