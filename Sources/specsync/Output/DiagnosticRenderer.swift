#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncJSON

/// Diagnostics as text for people or JSON for tools.
struct DiagnosticRenderer {
    let style: TerminalStyle

    func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(text).joined(separator: "\n")
    }

    func text(_ diagnostic: Diagnostic) -> String {
        let severity = diagnostic.severity == .error
            ? style.red(style.bold("error")) : style.yellow(style.bold("warning"))
        var line = "\(style.bold(diagnostic.location)): \(severity): \(diagnostic.message)"
        if let help = diagnostic.help { line += "\n    " + style.dim("help: \(help)") }
        return line
    }

    /// Sorted for stable output: by file, then position, then severity.
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sorted {
            ($0.file, $0.line ?? 0, $0.column ?? 0, $0.pointer?.description ?? "", $0.severity == .error ? 0 : 1)
                < ($1.file, $1.line ?? 0, $1.column ?? 0, $1.pointer?.description ?? "", $1.severity == .error ? 0 : 1)
        }
    }

    static func json(_ diagnostic: Diagnostic) -> JSONValue {
        var object = JSONObject()
        object["severity"] = .string(diagnostic.severity.rawValue)
        object["code"] = .string(diagnostic.code)
        object["file"] = .string(diagnostic.file)
        if let line = diagnostic.line { object["line"] = .number(String(line)) }
        if let column = diagnostic.column { object["column"] = .number(String(column)) }
        if let pointer = diagnostic.pointer { object["pointer"] = .string(pointer.description) }
        object["message"] = .string(diagnostic.message)
        if let help = diagnostic.help { object["help"] = .string(help) }
        return .object(object)
    }
}
