import SpecSyncCore
import SpecSyncJSON

extension JSONValue {
    /// A copy with the value at `tokens` replaced (nil removes it), or nil when the parent of the
    /// target does not exist. In arrays "-" appends, as in RFC 6902.
    func replacing(at tokens: ArraySlice<String>, with value: JSONValue?) -> JSONValue? {
        guard let token = tokens.first else { return value }
        let rest = tokens.dropFirst()
        switch self {
        case .object(var object):
            if rest.isEmpty {
                object[token] = value
                return .object(object)
            }
            guard let child = object[token], let edited = child.replacing(at: rest, with: value) else { return nil }
            object[token] = edited
            return .object(object)
        case .array(var array):
            if token == "-", rest.isEmpty {
                guard let value else { return nil }
                array.append(value)
                return .array(array)
            }
            guard let index = Int(token), array.indices.contains(index) else { return nil }
            if rest.isEmpty {
                if let value { array[index] = value } else { array.remove(at: index) }
                return .array(array)
            }
            guard let edited = array[index].replacing(at: rest, with: value) else { return nil }
            array[index] = edited
            return .array(array)
        default:
            return nil
        }
    }
}
