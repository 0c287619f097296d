import SpecSyncCore
import SpecSyncJSON

/// The JSONPath subset the Sources SDK documents use for `contentPath`, `explodeEntityPath`,
/// pagination pointers and end conditions: `$`, `.name`, `['name']` or `["name"]`, `[index]`,
/// `.*` and `[*]`. Anything else (filters, slices, recursive descent) is refused with the column
/// where it starts, rather than guessed at.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case member(String)
        case index(Int)
        case wildcard
    }

    public let steps: [Step]
    /// The path as written, for messages.
    public let text: String

    public var description: String { text }

    /// Whether the path can select more than one value.
    public var hasWildcard: Bool { steps.contains(.wildcard) }

    public init(_ text: String) throws(JSONPathError) {
        self.text = text
        var parser = JSONPathParser(text)
        self.steps = try parser.parse()
    }

    /// Every value the path selects, in document order; empty when a step finds nothing.
    public func select(in value: JSONValue) -> [JSONValue] {
        var current = [value]
        for step in steps {
            var next: [JSONValue] = []
            for candidate in current {
                switch (step, candidate) {
                case (.member(let name), .object(let object)):
                    if let found = object[name] { next.append(found) }
                case (.index(let index), .array(let array)):
                    let position = index < 0 ? array.count + index : index
                    if array.indices.contains(position) { next.append(array[position]) }
                case (.wildcard, .object(let object)):
                    next += object.members.map(\.value)
                case (.wildcard, .array(let array)):
                    next += array
                default:
                    break
                }
            }
            current = next
        }
        return current
    }

    /// The one value a non-wildcard path selects, or nil.
    public func first(in value: JSONValue) -> JSONValue? { select(in: value).first }

    /// Why the path selects nothing in `value`, in words: the deepest place it reached and what
    /// that place holds ("the response's top-level keys are data, paging").
    public func explainMiss(in value: JSONValue) -> String {
        var current = value
        var reached = "$"
        for step in steps {
            let next: JSONValue?
            switch (step, current) {
            case (.member(let name), .object(let object)): next = object[name]
            case (.index(let index), .array(let array)):
                let position = index < 0 ? array.count + index : index
                next = array.indices.contains(position) ? array[position] : nil
            case (.wildcard, .object(let object)): next = object.members.first?.value
            case (.wildcard, .array(let array)): next = array.first
            default: next = nil
            }
            guard let next else { return Self.describe(current, at: reached) }
            reached += Self.text(of: step)
            current = next
        }
        return Self.describe(current, at: reached)
    }

    static func text(of step: Step) -> String {
        switch step {
        case .member(let name): name.allSatisfy(JSONPathParser.isNameCharacter) ? ".\(name)" : "['\(name)']"
        case .index(let index): "[\(index)]"
        case .wildcard: "[*]"
        }
    }

    static func describe(_ value: JSONValue, at place: String) -> String {
        let subject = place == "$" ? "the response" : place
        switch value {
        case .object(let object) where object.isEmpty: return "\(subject) is an empty object"
        case .object(let object):
            let keys = object.keys.prefix(12).joined(separator: ", ") + (object.count > 12 ? ", …" : "")
            return place == "$" ? "the response's top-level keys are \(keys)" : "\(subject)'s keys are \(keys)"
        case .array(let array): return "\(subject) is an array of \(array.count) item\(array.count == 1 ? "" : "s")"
        default: return "\(subject) is \(value.kindName)"
        }
    }
}
