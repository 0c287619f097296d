#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncJSON

/// What `specsync verify` is about to create and has created in Flow Service, written (fsync'd,
/// atomically replaced) before each creation and after each deletion, so that a run killed half
/// way leaves a list the next run deletes first. Beside the state, never in it; this actor is its
/// one writer.
public actor VerificationLedger {
    /// One resource: its collection, the unique name it is created under, and its id once known.
    public struct Entry: Sendable, Equatable {
        public var collection: String
        public var name: String
        public var bundle: String
        public var id: String?

        var json: JSONValue {
            var object = JSONObject(["collection": .string(collection), "name": .string(name), "bundle": .string(bundle)])
            if let id { object["id"] = .string(id) }
            return .object(object)
        }

        init?(_ value: JSONValue) {
            guard let collection = value[JSONPointer("/collection")]?.stringValue, let name = value[JSONPointer("/name")]?.stringValue else { return nil }
            self.collection = collection
            self.name = name
            self.bundle = value[JSONPointer("/bundle")]?.stringValue ?? ""
            self.id = value[JSONPointer("/id")]?.stringValue
        }

        init(collection: String, name: String, bundle: String) {
            self.collection = collection
            self.name = name
            self.bundle = bundle
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let path: String
    public private(set) var entries: [Entry]

    /// `<state directory>/<target>.verify-ledger.json`: where `specsync verify` and the daemon keep it.
    public static func path(stateDirectory: String, target: String) -> String {
        LocalPath.join(stateDirectory, "\(target).verify-ledger.json")
    }

    /// Reads the ledger at `path` (none yet: empty).
    public init(path: String) throws(Failure) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else { entries = []; return }
        guard let document = try? JSONParser().parse(Array(data)), case .array(let items)? = document[JSONPointer("/entries")] else {
            throw Failure(description: "the verification ledger \(path) is not a ledger specsync wrote; move it aside after deleting, by hand, the connections and flows it lists")
        }
        entries = items.compactMap(Entry.init)
    }

    /// Recorded before the POST: a run killed during it leaves the name to look for.
    public func intend(_ collection: String, name: String, bundle: String) throws(Failure) {
        entries.append(Entry(collection: collection, name: name, bundle: bundle))
        try persist()
    }

    public func created(name: String, id: String) throws(Failure) {
        guard let index = entries.firstIndex(where: { $0.name == name }) else { return }
        entries[index].id = id
        try persist()
    }

    /// After the DELETE (or once nothing of that name exists).
    public func removed(name: String) throws(Failure) {
        entries.removeAll { $0.name == name }
        try persist()
    }

    private func persist() throws(Failure) {
        let document = JSONValue.object(JSONObject(["formatVersion": .number("1"), "entries": .array(entries.map(\.json))]))
        do {
            try DurableFile.write(Data(document.prettyPrinted().utf8), to: path)
        } catch {
            throw Failure(description: "cannot write the verification ledger \(path): \(error.description)")
        }
    }
}
