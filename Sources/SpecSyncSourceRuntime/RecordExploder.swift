import SpecSyncCore
import SpecSyncJSON

/// `explodeEntityPath`: one record per element of an array inside each (shaped) record, e.g.
/// `$.email.activity` after `overrideWrapperAttribute: "email"`. Each new record is the parent
/// without that array, with the element's members (shaped by the path's own skip/keep/wrapper
/// attributes) beside the parent's; the element's win a clash.
struct RecordExploder: Sendable {
    let selector: RecordSelector

    /// The records `record` explodes into; the record itself when the path finds no array there.
    func explode(_ record: JSONValue) -> [JSONValue] {
        guard case .object = record, let items = selector.items(in: record) else { return [record] }
        let names = selector.path.steps.compactMap { step -> String? in
            if case .member(let name) = step { return name }
            return nil
        }
        // Only a path of plain names can be taken out of the parent; a wildcard or index leaves it whole.
        let parent = names.count == selector.path.steps.count ? Self.removing(names[...], from: record) : record
        guard case .object(let base) = parent else { return [record] }
        let elementName = names.last ?? "value"
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

    static func removing(_ names: ArraySlice<String>, from value: JSONValue) -> JSONValue {
        guard let first = names.first, case .object(var object) = value else { return value }
        if names.count == 1 {
            object[first] = nil
        } else if let child = object[first] {
            object[first] = removing(names.dropFirst(), from: child)
        }
        return .object(object)
    }
}
