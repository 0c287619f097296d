import SpecSyncJSON
/// Reads a JSONPath of the documented subset into steps; see `JSONPath`.
struct JSONPathParser {
    private let text: String
    private let characters: [Character]
    private var position = 0

    init(_ text: String) {
        self.text = text
        self.characters = Array(text)
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "@" || character == "$"
    }

    mutating func parse() throws(JSONPathError) -> [JSONPath.Step] {
        guard characters.first == "$" else {
            throw failure(characters.isEmpty ? "the path is empty; it must start with $" : "a path must start with $ (the whole response), as in $.items")
        }
        position = 1
        var steps: [JSONPath.Step] = []
        while position < characters.count {
            switch characters[position] {
            case ".":
                position += 1
                guard position < characters.count else { throw failure("a name must follow the last '.'") }
                if characters[position] == "." { throw failure("recursive descent (..) is not supported; name each step") }
                if characters[position] == "*" {
                    position += 1
                    steps.append(.wildcard)
                    continue
                }
                let start = position
                while position < characters.count, Self.isNameCharacter(characters[position]) { position += 1 }
                guard position > start else { throw failure("expected a name after '.', found '\(characters[position])'") }
                steps.append(.member(String(characters[start..<position])))
            case "[":
                steps.append(try bracket())
            default:
                throw failure("expected '.' or '[', found '\(characters[position])'")
            }
        }
        return steps
    }

    private mutating func bracket() throws(JSONPathError) -> JSONPath.Step {
        let open = position
        position += 1
        guard position < characters.count else { throw failure("'[' is not closed", column: open + 1) }
        let step: JSONPath.Step
        switch characters[position] {
        case "*":
            position += 1
            step = .wildcard
        case "'", "\"":
            let quote = characters[position]
            position += 1
            var name = ""
            while position < characters.count, characters[position] != quote {
                if characters[position] == "\\", position + 1 < characters.count { position += 1 }
                name.append(characters[position])
                position += 1
            }
            guard position < characters.count else { throw failure("the quoted name is not closed", column: open + 2) }
            position += 1
            step = .member(name)
        case "?", "(":
            throw failure("filters and script expressions are not supported")
        default:
            let start = position
            if characters[position] == "-" { position += 1 }
            while position < characters.count, characters[position].isASCII, characters[position].isNumber { position += 1 }
            if position < characters.count, characters[position] == ":" { throw failure("slices are not supported") }
            guard let index = Int(String(characters[start..<position])) else {
                throw failure("expected an index, '*' or a quoted name inside '[ ]'", column: start + 1)
            }
            step = .index(index)
        }
        guard position < characters.count, characters[position] == "]" else {
            throw failure("'[' is not closed", column: open + 1)
        }
        position += 1
        return step
    }

    private func failure(_ message: String, column: Int? = nil) -> JSONPathError {
        JSONPathError(path: text, column: column ?? (position + 1), message: message)
    }
}
