import SpecSyncCore
import SpecSyncJSON

/// `contentPath` or `explodeEntityPath`: where the records are and how each is shaped.
///
/// - `skipAttributes` removes those members from every record;
/// - `keepAttributes`, when not empty, keeps only those members;
/// - `overrideWrapperAttribute` wraps every record as `{"<name>": record}`, the name the runtime
///   gives the records in place of the path's last step.
public struct RecordSelector: Sendable, Hashable {
    public var path: JSONPath
    public var skipAttributes: [String]
    public var keepAttributes: [String]
    public var overrideWrapperAttribute: String?
    /// Where the selector is written in the spec, for diagnostics.
    public var pointer: JSONPointer

    public init(path: JSONPath, skipAttributes: [String] = [], keepAttributes: [String] = [], overrideWrapperAttribute: String? = nil, pointer: JSONPointer = .root) {
        self.path = path
        self.skipAttributes = skipAttributes
        self.keepAttributes = keepAttributes
        self.overrideWrapperAttribute = overrideWrapperAttribute
        self.pointer = pointer
    }

    /// The raw items the path points at (an array's elements, a wildcard's matches, or a single
    /// object), or nil when it matches nothing or something that is no collection of records.
    public func items(in value: JSONValue) -> [JSONValue]? {
        let selected = path.select(in: value)
        if path.hasWildcard { return selected.isEmpty ? nil : selected }
        switch selected.first {
        case .array(let array)?: return array
        case .object(let object)?: return [.object(object)]
        default: return nil
        }
    }

    /// One item shaped as a record.
    public func shape(_ item: JSONValue) -> JSONValue {
        var shaped = item
        if case .object(var object) = item {
            for name in skipAttributes { object[name] = nil }
            if !keepAttributes.isEmpty {
                var kept = JSONObject()
                for (key, value) in object.members where keepAttributes.contains(key) { kept[key] = value }
                object = kept
            }
            shaped = .object(object)
        }
        if let overrideWrapperAttribute {
            var wrapper = JSONObject()
            wrapper[overrideWrapperAttribute] = shaped
            return .object(wrapper)
        }
        return shaped
    }
}
