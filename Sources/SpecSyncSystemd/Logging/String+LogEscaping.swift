extension String {
    /// The body of a JSON string literal (RFC 8259): quote, backslash and control characters
    /// escaped, everything else kept as UTF-8.
    var jsonEscaped: String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// One physical line: line breaks become the two characters `\n`, so a multi-line message
    /// stays a single journal entry and can still be read.
    var foldedOntoOneLine: String {
        replacingLineBreaks(with: "\\n")
    }

    /// A `key=value` value: bare when it is a plain token, otherwise quoted with `"` and `\` escaped
    /// and line breaks folded, so the line splits back into the same pairs.
    var logfmtQuoted: String {
        let needsQuotes = isEmpty || contains { character in
            character == " " || character == "\"" || character == "=" || character == "\\"
                || character.isNewline || character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        }
        guard needsQuotes else { return self }
        var result = "\""
        for character in self {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case _ where character.isNewline: result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
