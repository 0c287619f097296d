/// One field that differs between two JSON documents, for plan output.
public struct JSONDifference: Sendable, Hashable {
    public enum Change: Sendable, Hashable {
        case added(JSONValue)
        case removed(JSONValue)
        case changed(from: JSONValue, to: JSONValue)
    }

    public let pointer: JSONPointer
    public let change: Change

    public init(pointer: JSONPointer, change: Change) {
        self.pointer = pointer
        self.change = change
    }

    /// Field-level differences from `old` to `new`: objects are compared member by member, arrays
    /// index by index; anything else that is not equal is one change.
    public static func between(_ old: JSONValue, _ new: JSONValue, at pointer: JSONPointer = .root) -> [JSONDifference] {
        var differences: [JSONDifference] = []
        collect(old, new, at: pointer, into: &differences)
        return differences
    }

    private static func collect(_ old: JSONValue, _ new: JSONValue, at pointer: JSONPointer, into output: inout [JSONDifference]) {
        switch (old, new) {
        case (.object(let lhs), .object(let rhs)):
            for key in lhs.keys {
                if let right = rhs[key] {
                    collect(lhs[key]!, right, at: pointer.appending(key), into: &output)
                } else {
                    output.append(JSONDifference(pointer: pointer.appending(key), change: .removed(lhs[key]!)))
                }
            }
            for key in rhs.keys where !lhs.contains(key) {
                output.append(JSONDifference(pointer: pointer.appending(key), change: .added(rhs[key]!)))
            }
        case (.array(let lhs), .array(let rhs)):
            for index in 0..<max(lhs.count, rhs.count) {
                let path = pointer.appending(index)
                switch (index < lhs.count, index < rhs.count) {
                case (true, true): collect(lhs[index], rhs[index], at: path, into: &output)
                case (true, false): output.append(JSONDifference(pointer: path, change: .removed(lhs[index])))
                default: output.append(JSONDifference(pointer: path, change: .added(rhs[index])))
                }
            }
        default:
            if old != new {
                output.append(JSONDifference(pointer: pointer, change: .changed(from: old, to: new)))
            }
        }
    }
}
