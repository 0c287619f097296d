import SpecSyncCore
import SpecSyncJSON

/// How Flxpoint shows a stored connection: the documented `Connection` with every server-side
/// field filled in, and secret values masked in every response (the real value stays stored).
struct FlxpointPresentation: Sendable {
    static let mask = "********"

    /// Lowercase substrings that make a handle secret.
    let secretMarkers: [String]

    func isSecret(_ handle: String) -> Bool {
        let lowered = handle.lowercased()
        return secretMarkers.contains { !$0.isEmpty && lowered.contains($0.lowercased()) }
    }

    func present(_ connection: FlxpointConnection) -> JSONValue {
        let configs = connection.configs.enumerated().map { index, config -> JSONValue in
            let secret = isSecret(config.handle)
            return .object(JSONObject([
                "handle": .string(config.handle),
                "name": .string(Self.label(config.handle)),
                "required": .bool(false),
                "editable": .bool(true),
                "dataType": .string(secret ? "password" : "string"),
                "defaultValue": .null,
                "options": .array([]),
                "advanced": .bool(false),
                "value": .string(secret ? Self.mask : config.value),
                "hidden": .bool(false),
                "description": .string(""),
                "sortOrder": .number(String(index)),
            ]))
        }
        return .object(JSONObject([
            "id": .number(String(connection.id)),
            "connectionType": .string(connection.connectionType),
            "connectionTypeId": .number(String(Self.typeID(connection.connectionType))),
            "connectionTypeName": .string(Self.label(connection.connectionType)),
            "requiresConnectionToTest": .bool(false),
            "name": .string(connection.name),
            "configs": .array(configs),
        ]))
    }

    /// A stable positive id per connection type string (32-bit FNV-1a), the same in every run.
    static func typeID(_ connectionType: String) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in connectionType.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int(hash & 0x7fff_ffff) | 1
    }

    /// A human label from a handle: "api_key" and "apiKey" both become "Api Key".
    static func label(_ handle: String) -> String {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in handle {
            if character == "_" || character == "-" || character == "." || character == " " {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }
}
