import SpecSyncCore
import SpecSyncJSON

/// The part of JSONPath a content path uses: `$`, `.name`, `['name']`, `[n]` and `[*]`.
/// Nil for an expression outside that part.
enum JSONPathLookup {
    static func select(_ path: String, in document: JSONValue) -> [JSONValue]? {
        guard path.hasPrefix("$") else { return nil }
        var current = [document]
        var rest = path.dropFirst()
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                let name = String(rest[..<end])
                rest = rest[end...]
                current = name == "*" ? current.flatMap(children) : current.compactMap { $0.objectValue?[name] }
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inner = rest[rest.index(after: rest.startIndex)..<close].filter { $0 != "'" && $0 != "\"" }
                rest = rest[rest.index(after: close)...]
                if inner == "*" {
                    current = current.flatMap(children)
                } else if let index = Int(inner) {
                    current = current.compactMap { $0.arrayValue.flatMap { index < $0.count && index >= 0 ? $0[index] : nil } }
                } else {
                    current = current.compactMap { $0.objectValue?[String(inner)] }
                }
            } else {
                return nil
            }
        }
        return current
    }

    private static func children(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let array): array
        case .object(let object): object.members.map(\.value)
        default: []
        }
    }
}
