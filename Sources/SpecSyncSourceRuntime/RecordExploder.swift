import SpecSyncCore

/// `explodeEntityPath`: one record per element of an array inside each record, the parent's other
/// members copied beside the element's (the element's win a clash).
struct RecordExploder: Sendable {
    let selector: RecordSelector

    /// The records `record` explodes into; the record itself when the path finds no array there.
    func explode(_ record: JSONValue) -> [JSONValue] {
        guard case .object(let parent) = record, let items = selector.items(in: record) else { return [record] }
        var base = parent
        if case .member(let first)? = selector.path.steps.first { base[first] = nil }
        var elementName = "value"
        if case .member(let name)? = selector.path.steps.last { elementName = name }
        return items.map { item in
            var merged = base
            switch selector.shape(item) {
            case .object(let object):
                for (key, value) in object.members { merged[key] = value }
            case let other:
                merged[elementName] = other
            }
            return .object(merged)
        }
    }
}
