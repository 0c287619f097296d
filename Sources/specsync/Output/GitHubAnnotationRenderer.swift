import SpecSyncCore
import SpecSyncJSON

/// Diagnostics as GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), which
/// GitHub shows as annotations on the lines of a pull request. Everything taken from a file or a
/// message is escaped as GitHub documents, so no finding can end its line early and issue a command
/// of its own (`::add-mask::`, `::stop-commands::`).
struct GitHubAnnotationRenderer {
    func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(line).joined(separator: "\n")
    }

    func line(_ diagnostic: Diagnostic) -> String {
        var properties = [("file", diagnostic.file)]
        if let line = diagnostic.line {
            properties.append(("line", String(line)))
            if let column = diagnostic.column { properties.append(("col", String(column))) }
        }
        properties.append(("title", "specsync \(diagnostic.code)"))
        var message = diagnostic.message
        // The JSON pointer names the value the line holds (or, without a line, where in the file it is).
        if let pointer = diagnostic.pointer, !pointer.tokens.isEmpty {
            message = "at \(pointer): \(message)"
        }
        if let help = diagnostic.help { message += "\nhelp: \(help)" }
        let command = diagnostic.severity == .error ? "error" : "warning"
        let list = properties.map { "\($0.0)=\(Self.escapeProperty($0.1))" }.joined(separator: ",")
        return "::\(command) \(list)::\(Self.escapeData(message))"
    }

    /// A command's message: `%`, CR and LF are percent-encoded (`%` first, so the others stay readable).
    static func escapeData(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A property's value: as data, and also `:` and `,`, which end a value.
    static func escapeProperty(_ text: String) -> String {
        var result = ""
        for scalar in escapeData(text).unicodeScalars {
            switch scalar {
            case ":": result += "%3A"
            case ",": result += "%2C"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
