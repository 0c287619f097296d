import SpecSyncCore
import SpecSyncJSON

/// Checks shared by `ConnectionCreate` and `ConnectionUpdate`: the body is an object without
/// members the schema does not name, and every problem is reported as an `ErrorField`.
struct VersoriBody {
    let object: JSONObject
    var problems: [VersoriError.Field] = []

    init(_ bytes: [UInt8], allowed: [String]) throws(VersoriError) {
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch {
            throw .badRequest("malformed JSON at line \(error.line), column \(error.column): \(error.message)")
        }
        guard case .object(let object) = value else {
            throw .badRequest("the request body must be a JSON object, found \(value.kindName)")
        }
        self.object = object
        for key in object.keys where !allowed.contains(key) {
            problems.append(.init(field: key, message: "unknown field"))
        }
    }

    /// Throws the collected problems, if any.
    func finish() throws(VersoriError) {
        guard problems.isEmpty else { throw .badRequest("invalid request body", fields: problems) }
    }

    /// A required, non-empty string member.
    mutating func requiredString(_ name: String) -> String {
        switch object[name] {
        case .string(let text) where !text.isEmpty: return text
        case .string: problems.append(.init(field: name, message: "must not be empty"))
        case nil, .null?: problems.append(.init(field: name, message: "is required"))
        case let other?: problems.append(.init(field: name, message: "must be a string, found \(other.kindName)"))
        }
        return ""
    }

    /// `credentials`: an object whose `action` and `trigger`, when present, are arrays of objects.
    /// Stored as sent. Nil when absent or null.
    mutating func credentials(required: Bool) -> JSONValue? {
        switch object["credentials"] {
        case nil, .null?:
            if required { problems.append(.init(field: "credentials", message: "is required")) }
            return nil
        case .object(let credentials)?:
            for kind in ["action", "trigger"] {
                guard let member = credentials[kind] else { continue }
                guard case .array(let items) = member else {
                    problems.append(.init(field: "credentials.\(kind)", message: "must be an array, found \(member.kindName)"))
                    continue
                }
                for (index, item) in items.enumerated() where item.objectValue == nil {
                    problems.append(.init(field: "credentials.\(kind)[\(index)]", message: "must be an object, found \(item.kindName)"))
                }
            }
            return .object(credentials)
        case let other?:
            problems.append(.init(field: "credentials", message: "must be an object, found \(other.kindName)"))
            return nil
        }
    }

    /// `variables`: an array of `{name, value}` strings with distinct names. Nil when absent or
    /// null, which the Go service cannot tell apart (both decode to a nil slice).
    mutating func variables(required: Bool) -> [VersoriConnection.Variable]? {
        switch object["variables"] {
        case nil, .null?:
            if required { problems.append(.init(field: "variables", message: "is required")) }
            return nil
        case .array(let items)?:
            var variables: [VersoriConnection.Variable] = []
            var seen: Set<String> = []
            for (index, item) in items.enumerated() {
                guard case .object(let variable) = item else {
                    problems.append(.init(field: "variables[\(index)]", message: "must be an object, found \(item.kindName)"))
                    continue
                }
                guard case .string(let name)? = variable["name"], !name.isEmpty else {
                    problems.append(.init(field: "variables[\(index)].name", message: "must be a non-empty string"))
                    continue
                }
                guard case .string(let value)? = variable["value"] else {
                    problems.append(.init(field: "variables[\(index)].value", message: "must be a string"))
                    continue
                }
                for key in variable.keys where key != "name" && key != "value" {
                    problems.append(.init(field: "variables[\(index)].\(key)", message: "unknown field"))
                }
                if !seen.insert(name).inserted {
                    problems.append(.init(field: "variables[\(index)].name", message: "duplicate variable name \(name)"))
                }
                variables.append(.init(name: name, value: value))
            }
            return variables
        case let other?:
            problems.append(.init(field: "variables", message: "must be an array, found \(other.kindName)"))
            return nil
        }
    }
}
