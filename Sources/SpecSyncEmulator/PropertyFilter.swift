import SpecSyncCore
import SpecSyncJSON

/// The `property` query parameter of list endpoints, for the part specsync relies on: equality and
/// inequality on top-level string fields, e.g. `property=name=="MailChimp"` or `property=name==x`.
///
/// As documented, a comma separates alternatives (`property=name==a,name==b` is a OR b) and repeated
/// `property` parameters must all hold. A value is taken as written up to the next comma, or quoted:
/// inside `"…"` a comma is part of the value and `\"` and `\\` stand for a quote and a backslash (the
/// escape is the emulator's own: Adobe documents none, which is why specsync does not rely on it).
struct PropertyFilter: Sendable {
    struct Condition: Sendable, Equatable {
        var field: String
        var equals: Bool
        var value: String
    }

    /// One clause per `property` parameter, all of which must hold; each holds when any of its
    /// conditions does.
    var clauses: [[Condition]] = []

    /// Fields a condition may name; others would silently match nothing, so they are refused.
    static let fields: Set<String> = ["name", "id", "providerId", "version", "type"]

    init(parameters: [String]) throws(EmulatorError) {
        for parameter in parameters {
            var alternatives: [Condition] = []
            for expression in try Self.expressions(parameter) {
                alternatives.append(try Self.condition(expression))
            }
            if !alternatives.isEmpty { clauses.append(alternatives) }
        }
    }

    /// The name when the filter is exactly `name=="…"`, which an index answers.
    var exactName: String? {
        guard clauses.count == 1, clauses[0].count == 1, clauses[0][0].field == "name", clauses[0][0].equals else { return nil }
        return clauses[0][0].value
    }

    func matches(_ spec: JSONValue) -> Bool {
        clauses.allSatisfy { alternatives in
            alternatives.contains { condition in
                let actual = spec.objectValue?[condition.field]?.stringValue
                return (actual == condition.value) == condition.equals
            }
        }
    }

    private static func condition(_ expression: Condition) throws(EmulatorError) -> Condition {
        guard fields.contains(expression.field) else {
            throw .badRequest(
                "Unsupported property filter field \(expression.field); the emulator filters on \(fields.sorted().joined(separator: ", ")).",
                code: "FLOW-1107-400")
        }
        return expression
    }

    /// Splits `text` into `field==value` / `field!=value` conditions at the commas outside quotes,
    /// values unquoted and unescaped; fields are checked by `condition`.
    private static func expressions(_ text: String) throws(EmulatorError) -> [Condition] {
        var expressions: [Condition] = []
        var rest = Substring(text)
        while true {
            while rest.first == " " || rest.first == "\t" { rest.removeFirst() }
            if rest.isEmpty { break }
            // The first operator in the text wins: `name!=a==b` compares name with `a==b`.
            let equalsRange = rest.firstRange(of: "==")
            let notEqualsRange = rest.firstRange(of: "!=")
            let notEquals = notEqualsRange.map { candidate in equalsRange.map { candidate.lowerBound < $0.lowerBound } ?? true } ?? false
            guard let range = notEquals ? notEqualsRange : equalsRange, !rest[..<range.lowerBound].contains(",") else {
                let piece = rest.prefix { $0 != "," }
                throw .badRequest("Invalid property filter \(piece); write it as field==\"value\".", code: "FLOW-1107-400")
            }
            let field = rest[..<range.lowerBound].trimmingWhitespace()
            rest = rest[range.upperBound...]
            while rest.first == " " || rest.first == "\t" { rest.removeFirst() }
            var value = ""
            if rest.first == "\"" {
                rest.removeFirst()
                var closed = false
                while let character = rest.first {
                    rest.removeFirst()
                    if character == "\\" {
                        guard let escaped = rest.first, escaped == "\"" || escaped == "\\" else {
                            throw .badRequest(
                                "Invalid escape in the property filter value of \(field): inside quotes write \\\" for a quote and \\\\ for a backslash.",
                                code: "FLOW-1107-400")
                        }
                        value.append(escaped)
                        rest.removeFirst()
                    } else if character == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(character)
                    }
                }
                guard closed else {
                    throw .badRequest("Unterminated quoted value in the property filter on \(field).", code: "FLOW-1107-400")
                }
                while rest.first == " " || rest.first == "\t" { rest.removeFirst() }
                if let next = rest.first, next != "," {
                    throw .badRequest(
                        "Unexpected text after the quoted value of \(field) in the property filter; separate conditions with a comma.",
                        code: "FLOW-1107-400")
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingWhitespace()
                rest = rest[end...]
            }
            expressions.append(Condition(field: field, equals: !notEquals, value: value))
            if rest.first == "," { rest.removeFirst() }
        }
        return expressions
    }
}
