import SpecSyncCore
import SpecSyncJSON

/// A checked `ConnectionUpdateRequest` (the body of both POST and PUT): `connectionType`, `name`
/// and `configs` are all required, since a PUT replaces the whole connection. Members the document
/// does not name are ignored, as the Java service behind it would.
struct FlxpointConnectionBody: Sendable, Equatable {
    var connectionType: String
    var name: String
    var configs: [FlxpointConnection.Config]

    init(connectionType: String, name: String, configs: [FlxpointConnection.Config]) {
        self.connectionType = connectionType
        self.name = name
        self.configs = configs
    }

    /// Parses and checks `bytes`, naming every problem found in one message.
    init(validating bytes: [UInt8]) throws(FlxpointError) {
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch {
            throw .badRequest("Malformed JSON at line \(error.line), column \(error.column): \(error.message).")
        }
        guard case .object(let object) = value else {
            throw .badRequest("The body must be a JSON object, found \(value.kindName).")
        }
        var problems: [String] = []
        func nonEmptyString(_ name: String) -> String {
            switch object[name] {
            case .string(let text) where !text.isEmpty: return text
            case .string: problems.append("\(name) must not be empty.")
            case nil: problems.append("\(name) is required.")
            case let other?: problems.append("\(name) must be a string, found \(other.kindName).")
            }
            return ""
        }
        let connectionType = nonEmptyString("connectionType")
        let name = nonEmptyString("name")
        var configs: [FlxpointConnection.Config] = []
        switch object["configs"] {
        case .array(let items):
            var seen: Set<String> = []
            for (index, item) in items.enumerated() {
                guard case .object(let config) = item else {
                    problems.append("configs[\(index)] must be an object, found \(item.kindName).")
                    continue
                }
                guard case .string(let handle)? = config["handle"], !handle.isEmpty else {
                    problems.append("configs[\(index)].handle must be a non-empty string.")
                    continue
                }
                guard case .string(let value)? = config["value"] else {
                    problems.append("configs[\(index)].value must be a string.")
                    continue
                }
                if !seen.insert(handle).inserted {
                    problems.append("configs[\(index)].handle \(handle) is given more than once.")
                }
                configs.append(.init(handle: handle, value: value))
            }
        case nil: problems.append("configs is required.")
        case let other?: problems.append("configs must be an array, found \(other.kindName).")
        }
        guard problems.isEmpty else { throw .badRequest(problems.joined(separator: " ")) }
        self.init(connectionType: connectionType, name: name, configs: configs)
    }
}
