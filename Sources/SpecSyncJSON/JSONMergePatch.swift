/// RFC 7386 JSON Merge Patch: objects merge member by member, `null` removes, anything else replaces.
public enum JSONMergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result: JSONObject
        if case .object(let existing) = target { result = existing } else { result = JSONObject() }
        for (key, value) in patchObject.members {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }
}
