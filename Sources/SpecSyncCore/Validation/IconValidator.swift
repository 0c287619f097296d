import Foundation

/// A catalog icon must be a plain SVG: no scripts, no event handlers, at most 1 MiB.
public struct IconValidator: Sendable {
    public static let maximumSize = 1 << 20

    public init() {}

    public func validate(_ file: BundleFile) -> [Diagnostic] {
        func error(_ code: String, _ message: String, _ help: String) -> [Diagnostic] {
            [Diagnostic(.error, code: code, file: file.path, message: message, help: help)]
        }
        if file.isSymlink {
            return error("symlink", "the icon is a symbolic link; specsync reads regular files only",
                         "replace the link with the SVG file itself")
        }
        guard file.bytes.count <= Self.maximumSize else {
            return error("icon-too-large", "the icon is \(file.bytes.count) bytes; the limit is 1 MiB",
                         "simplify or optimise the SVG")
        }
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return error("icon-not-svg", "the icon is not UTF-8 text, so it is not an SVG", "export the icon as SVG")
        }
        let lowered = text.lowercased()
        guard lowered.first(where: { !$0.isWhitespace }) == "<", lowered.containsBytes("<svg") else {
            return error("icon-not-svg", "the icon has no <svg> root element", "export the icon as SVG")
        }
        if lowered.containsBytes("<script") {
            return error("icon-script", "the icon contains a <script> element", "remove scripts from the SVG")
        }
        if let handler = Self.eventHandler(in: lowered) {
            return error("icon-script", "the icon contains the event handler attribute '\(handler)'",
                         "remove event handler attributes (on…=) from the SVG")
        }
        if lowered.containsBytes("javascript:") {
            return error("icon-script", "the icon contains a javascript: URL", "remove javascript: links from the SVG")
        }
        return []
    }

    /// The first `on…=` attribute in a tag, if any.
    static func eventHandler(in text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var insideTag = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<" { insideTag = true } else if scalar == ">" { insideTag = false }
            if insideTag, scalar == "o", index + 2 < scalars.count, scalars[index + 1] == "n",
               index > 0, CharacterSet.whitespacesAndNewlines.contains(scalars[index - 1]) {
                var end = index + 2
                while end < scalars.count, CharacterSet.letters.contains(scalars[end]) { end += 1 }
                var afterName = end
                while afterName < scalars.count, CharacterSet.whitespacesAndNewlines.contains(scalars[afterName]) { afterName += 1 }
                if end > index + 2, afterName < scalars.count, scalars[afterName] == "=" {
                    return String(String.UnicodeScalarView(scalars[index..<end]))
                }
            }
            index += 1
        }
        return nil
    }
}
