import SpecSyncJSON
/// A syntax check of a JSONPath expression as the Sources SDK writes them (`$.members`,
/// `$.data[*].items`, `$..id`, `$['odd key']`, `$[0]`, `$[?(@.active)]`): what the runtime would
/// refuse, found before a spec is sent. It does not evaluate anything.
public struct JSONPathSyntax: Sendable {
    public init() {}

    /// Why `path` is not a JSONPath, with the character offset where it goes wrong; nil when it is one.
    public func problem(in path: String) -> String? {
        let characters = Array(path)
        guard characters.first == "$" else {
            return characters.isEmpty ? "it is empty" : "it must start with '$' (the document's root), e.g. \"$.\(path)\""
        }
        var index = 1
        while index < characters.count {
            switch characters[index] {
            case ".":
                index += 1
                if index < characters.count, characters[index] == "." { index += 1 }
                guard index < characters.count else { return "it ends with '.' at character \(index): name a member after it" }
                if characters[index] == "*" { index += 1; continue }
                if characters[index] == "[" { continue }
                let start = index
                while index < characters.count, Self.isNameCharacter(characters[index]) { index += 1 }
                if index == start { return "'\(characters[index])' at character \(index + 1) cannot start a member name" }
            case "[":
                guard let close = closingBracket(characters, from: index) else {
                    return "the '[' at character \(index + 1) is never closed"
                }
                if let problem = bracketProblem(String(characters[(index + 1)..<close]), at: index + 1) { return problem }
                index = close + 1
            default:
                return "'\(characters[index])' at character \(index + 1) is not allowed here: members follow '.' or sit in '[…]'"
            }
        }
        return nil
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "$" || character == "@"
    }

    /// The index of the `]` that closes the `[` at `open`, skipping quoted text and parentheses.
    private func closingBracket(_ characters: [Character], from open: Int) -> Int? {
        var depth = 0
        var quote: Character?
        var index = open + 1
        while index < characters.count {
            let character = characters[index]
            if let current = quote {
                if character == "\\" { index += 2; continue }
                if character == current { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
            } else if character == "]" && depth == 0 {
                return index
            }
            index += 1
        }
        return nil
    }

    private func bracketProblem(_ inner: String, at offset: Int) -> String? {
        let text = inner.trimmingSpaces
        if text.isEmpty { return "the brackets at character \(offset) are empty: put an index, '*', a quoted name or a filter in them" }
        if text == "*" { return nil }
        if text.hasPrefix("?(") || text.hasPrefix("(") {
            guard text.hasSuffix(")") else { return "the expression at character \(offset) must end with ')'" }
            return parenthesesBalance(text) ? nil : "the parentheses of the expression at character \(offset) do not match"
        }
        for part in text.split(separator: ",", omittingEmptySubsequences: false).map({ String($0).trimmingSpaces }) {
            if let first = part.first, first == "'" || first == "\"" {
                guard part.count >= 2, part.last == first else { return "the quoted name at character \(offset) is not closed" }
                continue
            }
            let bounds = part.split(separator: ":", omittingEmptySubsequences: false)
            guard bounds.count <= 3, bounds.allSatisfy({ $0.isEmpty || Int($0) != nil }), !(bounds.count == 1 && part.isEmpty) else {
                return "'[\(inner)]' at character \(offset) is not an index, a slice, '*', a quoted name or a filter"
            }
        }
        return nil
    }

    private func parenthesesBalance(_ text: String) -> Bool {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = self[...]
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
