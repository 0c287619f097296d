import SpecSyncCore

/// The `property` query parameter of list endpoints, for the part specsync relies on: equality and
/// inequality on top-level string fields, e.g. `property=name=="MailChimp"` or `property=name==x`.
/// Several conditions (comma-separated or repeated parameters) must all hold.
struct PropertyFilter: Sendable {
    struct Condition: Sendable, Equatable {
        var field: String
        var equals: Bool
        var value: String
    }

    var conditions: [Condition] = []

    /// Fields a condition may name; others would silently match nothing, so they are refused.
    static let fields: Set<String> = ["name", "id", "providerId", "version", "type"]

    init(parameters: [String]) throws(EmulatorError) {
        for parameter in parameters {
            for expression in Self.splitOutsideQuotes(parameter) where !expression.isEmpty {
                conditions.append(try Self.condition(expression))
            }
        }
    }

    /// The name when the filter is exactly `name=="…"`, which an index answers.
    var exactName: String? {
        guard conditions.count == 1, conditions[0].field == "name", conditions[0].equals else { return nil }
        return conditions[0].value
    }

    func matches(_ spec: JSONValue) -> Bool {
        conditions.allSatisfy { condition in
            let actual = spec.objectValue?[condition.field]?.stringValue
            return (actual == condition.value) == condition.equals
        }
    }

    private static func condition(_ expression: String) throws(EmulatorError) -> Condition {
        for (symbol, equals) in [("!=", false), ("==", true)] {
            guard let range = expression.firstRange(of: symbol) else { continue }
            let field = String(expression[..<range.lowerBound]).trimmingWhitespace()
            var value = String(expression[range.upperBound...]).trimmingWhitespace()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            guard fields.contains(field) else {
                throw .badRequest(
                    "Unsupported property filter field \(field); the emulator filters on \(fields.sorted().joined(separator: ", ")).",
                    code: "FLOW-1107-400")
            }
            return Condition(field: field, equals: equals, value: value)
        }
        throw .badRequest(
            "Invalid property filter \(expression); write it as field==\"value\".", code: "FLOW-1107-400")
    }

    /// Commas separate conditions, except inside double quotes (names may contain commas).
    private static func splitOutsideQuotes(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ",", !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingWhitespace() }
    }
}
