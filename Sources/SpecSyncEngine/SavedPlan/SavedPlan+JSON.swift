import SpecSyncCore
import SpecSyncJSON

extension SavedPlan {
    /// The file `plan --out` writes.
    public var json: JSONValue {
        var object = JSONObject()
        object["kind"] = .string(Self.kind)
        object["formatVersion"] = .number(String(Self.formatVersion))
        object["target"] = .object(JSONObject([
            "name": .string(target.name), "kind": .string(target.kind), "identity": .string(target.identity),
        ]))
        object["commit"] = .string(commit)
        object["baseCommit"] = baseCommit.map(JSONValue.string) ?? .null
        object["state"] = lineage.map { .object(JSONObject(["lineage": .string($0), "serial": .number(String(serial))])) } ?? .null
        object["bundles"] = .array(selection.map(JSONValue.string))
        object["fullScan"] = .bool(fullScan)
        object["decisions"] = .array(entries.map { entry in
            var item = JSONObject()
            item["bundle"] = .string(entry.bundle.source)
            item["decision"] = .string(entry.decision.rawValue)
            item["name"] = entry.name.map(JSONValue.string) ?? .null
            item["remoteId"] = entry.remoteID.map(JSONValue.string) ?? .null
            if let renamed = entry.renamedFrom { item["renamedFrom"] = .string(renamed.source) }
            item["desiredHash"] = entry.desiredHash.map(JSONValue.string) ?? .null
            item["recordedHash"] = entry.recordedHash.map(JSONValue.string) ?? .null
            item["recordedRevision"] = entry.recordedRevision.map(JSONValue.string) ?? .null
            item["remoteRevision"] = entry.remoteRevision.map(JSONValue.string) ?? .null
            if let mode = entry.pruneMode { item["prune"] = .string(mode.rawValue) }
            if !entry.foreign.isEmpty { item["foreign"] = .array(entry.foreign.map(JSONValue.string)) }
            if let reason = entry.reason { item["reason"] = .string(reason) }
            return .object(item)
        })
        return .object(object)
    }

    /// Reads a file `plan --out` wrote; `source` names it in errors.
    public init(json text: String, source: String) throws(SavedPlanError) {
        let value: JSONValue
        do { value = try JSONParser().parse(text) } catch {
            throw SavedPlanError("\(source) is not a saved plan: \(error)")
        }
        guard let object = value.objectValue, object["kind"]?.stringValue == Self.kind else {
            throw SavedPlanError("\(source) is not a saved plan (no \"kind\": \"\(Self.kind)\"); write one with `specsync plan --out FILE`")
        }
        guard case .number(let version)? = object["formatVersion"], Int(version) == Self.formatVersion else {
            throw SavedPlanError("\(source) is a saved plan of another format version (\(object["formatVersion"]?.compactText ?? "none"), this specsync reads \(Self.formatVersion)): plan again with this version")
        }
        let reader = Reader(source: source)
        let target = try reader.object(object, "/target")
        let state = object["state"].flatMap(\.objectValue)
        var entries: [Entry] = []
        for (index, item) in try reader.array(object, "/decisions").enumerated() {
            let pointer = "/decisions/\(index)"
            guard let item = item.objectValue else { throw reader.error(pointer, "an object") }
            let bundle = try reader.string(item, "bundle", pointer)
            let decisionName = try reader.string(item, "decision", pointer)
            guard let kind = Decision.Kind(rawValue: decisionName) else { throw reader.error(pointer + "/decision", "a decision name") }
            var entry = Entry(bundle: BundleID(bundle), decision: kind)
            entry.name = reader.optional(item, "name")
            entry.remoteID = reader.optional(item, "remoteId")
            entry.renamedFrom = reader.optional(item, "renamedFrom").map { BundleID($0) }
            entry.desiredHash = reader.optional(item, "desiredHash")
            entry.recordedHash = reader.optional(item, "recordedHash")
            entry.recordedRevision = reader.optional(item, "recordedRevision")
            entry.remoteRevision = reader.optional(item, "remoteRevision")
            entry.pruneMode = reader.optional(item, "prune").flatMap(Decision.PruneMode.init)
            entry.foreign = item["foreign"]?.arrayValue?.compactMap(\.stringValue) ?? []
            entry.reason = reader.optional(item, "reason")
            entries.append(entry)
        }
        var serial = 0
        if case .number(let text)? = state?["serial"] { serial = Int(text) ?? 0 }
        self.init(
            target: TargetIdentity(name: try reader.string(target, "name", "/target"), kind: try reader.string(target, "kind", "/target"),
                                   identity: try reader.string(target, "identity", "/target")),
            commit: try reader.string(object, "commit", ""), baseCommit: reader.optional(object, "baseCommit"),
            lineage: state.flatMap { reader.optional($0, "lineage") }, serial: serial,
            selection: object["bundles"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            fullScan: object["fullScan"] == .bool(true), entries: entries)
    }

    /// Field access that names the file and the JSON pointer of what is wrong.
    struct Reader {
        let source: String

        func error(_ pointer: String, _ expected: String) -> SavedPlanError {
            SavedPlanError("\(source) at \(pointer.isEmpty ? "/" : pointer): expected \(expected); the file was edited or damaged: plan again")
        }

        func string(_ object: JSONObject, _ key: String, _ at: String) throws(SavedPlanError) -> String {
            guard let value = object[key]?.stringValue else { throw error(at + "/" + key, "a string") }
            return value
        }

        func optional(_ object: JSONObject, _ key: String) -> String? { object[key]?.stringValue }

        func object(_ object: JSONObject, _ pointer: String) throws(SavedPlanError) -> JSONObject {
            guard let value = object[String(pointer.dropFirst())]?.objectValue else { throw error(pointer, "an object") }
            return value
        }

        func array(_ object: JSONObject, _ pointer: String) throws(SavedPlanError) -> [JSONValue] {
            guard let value = object[String(pointer.dropFirst())]?.arrayValue else { throw error(pointer, "an array") }
            return value
        }
    }
}

/// A saved plan that cannot be read, in words.
public struct SavedPlanError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
