import SpecSyncJSON
/// The rules a Flxpoint or Versori connection body must meet before it is sent: the members each
/// API requires, their types, and the `{key, value}` lists each holds. Each finding names its pointer.
public struct ConnectionValidator: Sendable {
    public let resource: ResourceKind

    /// The top-level members of a body, required or not, with their kinds.
    struct Member {
        let name: String
        let kind: SpecValidator.ExpectedKind
        let required: Bool
    }

    /// A list of `{key: string, value: string}` objects, keys unique.
    struct PairList {
        let member: String
        let key: String
        let value: String
    }

    public init(resource: ResourceKind) {
        self.resource = resource
    }

    var members: [Member] {
        switch resource {
        case .connectionSpec: []
        case .flxpointConnection:
            [Member(name: "connectionType", kind: .string, required: true), Member(name: "name", kind: .string, required: true),
             Member(name: "configs", kind: .array, required: true)]
        case .versoriConnection:
            [Member(name: "name", kind: .string, required: true), Member(name: "credentials", kind: .object, required: true),
             Member(name: "variables", kind: .array, required: true)]
        }
    }

    var pairLists: [PairList] {
        switch resource {
        case .connectionSpec: []
        case .flxpointConnection: [PairList(member: "configs", key: "handle", value: "value")]
        case .versoriConnection: [PairList(member: "variables", key: "name", value: "value")]
        }
    }

    public func validate(body: JSONValue, file: String) -> [Diagnostic] {
        var findings = Findings(file: file)
        guard case .object(let object) = body else { return [] }
        for member in members {
            findings.require(member.name, member.kind, in: body, allowEmpty: member.kind != .string, required: member.required)
        }
        let known = Set(members.map(\.name))
        for key in object.keys where !known.contains(key) {
            findings.error("unknown-field", JSONPointer(tokens: [key]),
                           "'\(key)' is not part of a \(resource.noun)",
                           help: "a \(resource.noun) has \(members.map(\.name).joined(separator: ", ")); remove '\(key)'")
        }
        for list in pairLists {
            check(list, in: body, &findings)
        }
        if resource == .versoriConnection, case .object(let credentials)? = object["credentials"] {
            for (key, value) in credentials.members where key != "action" && key != "trigger" || value.arrayValue == nil {
                findings.error("invalid-value", JSONPointer("/credentials").appending(key),
                               "credentials may hold the arrays 'action' and 'trigger' only",
                               help: "list the connection's credentials under credentials.action or credentials.trigger")
            }
        }
        return findings.diagnostics
    }

    func check(_ list: PairList, in body: JSONValue, _ findings: inout Findings) {
        let base = JSONPointer(tokens: [list.member])
        guard case .array(let items)? = body[base] else { return }
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let pointer = base.appending(index)
            guard case .object(let object) = item else {
                findings.error("wrong-type", pointer, "each entry of '\(list.member)' must be {\"\(list.key)\": …, \"\(list.value)\": …}, found \(item.kindName)")
                continue
            }
            findings.require(list.key, .string, in: item, at: pointer, allowEmpty: false, required: true)
            findings.require(list.value, .string, in: item, at: pointer, allowEmpty: true, required: true)
            for key in object.keys where key != list.key && key != list.value {
                findings.error("unknown-field", pointer.appending(key), "'\(key)' is not part of a \(list.member) entry",
                               help: "an entry has \(list.key) and \(list.value) only")
            }
            if case .string(let key)? = object[list.key] {
                if let first = seen[key] {
                    findings.error("duplicate-key", pointer.appending(list.key),
                                   "\(list.key) '\(key)' is already set by entry \(first)", help: "keep one entry per \(list.key)")
                } else {
                    seen[key] = index
                }
            }
        }
    }
}
