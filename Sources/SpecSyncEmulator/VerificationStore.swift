#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncJSON

/// What the verification chain creates in the sandbox: base connections, source connections,
/// flows and their runs, in creation order. Also the knobs a test turns on that chain.
public actor VerificationStore {
    /// The collections under the Flow Service base that the chain uses.
    public enum Collection: String, Sendable, CaseIterable {
        case connections, sourceConnections, flows, runs
    }

    /// How long a run stays `inProgress`, and steps held before they are answered (keyed
    /// "METHOD collection[/action]", e.g. "GET connections/test", "POST flows"), in milliseconds.
    public struct Settings: Sendable, Codable, Equatable {
        public var runMilliseconds = 200
        public var delayMilliseconds: [String: Int] = [:]

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            runMilliseconds = try container.decodeIfPresent(Int.self, forKey: .runMilliseconds) ?? 200
            delayMilliseconds = try container.decodeIfPresent([String: Int].self, forKey: .delayMilliseconds) ?? [:]
        }
    }

    public private(set) var settings = Settings()
    /// Requests that reached a held step (`Settings.delayMilliseconds`), by step: a test kills its
    /// client once the request is at the server, not merely sent.
    public private(set) var held: [String: Int] = [:]

    func noteHeld(_ step: String) { held[step, default: 0] += 1 }
    private var items: [Collection: [String: JSONObject]] = [:]
    private var order: [Collection: [String]] = [:]
    private var clock = TimestampStamper(unitsPerSecond: 1000)

    public init() {}

    public func replaceSettings(_ settings: Settings) { self.settings = settings }

    public func reset() {
        items = [:]
        held = [:]
        order = [:]
        settings = Settings()
    }

    /// How many of each collection the sandbox holds.
    public func counts() -> [String: Int] {
        Dictionary(uniqueKeysWithValues: Collection.allCases.map { ($0.rawValue, items[$0]?.count ?? 0) })
    }

    public func list(_ collection: Collection) -> [JSONObject] {
        (order[collection] ?? []).compactMap { items[collection]?[$0] }
    }

    public func item(_ collection: Collection, id: String) -> JSONObject? { items[collection]?[id] }

    /// Stores `body` with the server's fields in front; returns the stored item.
    func create(_ collection: Collection, _ body: JSONObject, fields: ServerFields, actor: ServerFields.Actor) -> JSONObject {
        let id = UUID().uuidString.lowercased()
        let now = clock.next()
        var stored = fields.stamp(body, id: id, created: (now, actor), updated: (now, actor), defaultPermissions: nil).objectValue ?? body
        stored["etag"] = .string("\"\(UUID().uuidString.lowercased())\"")
        items[collection, default: [:]][id] = stored
        order[collection, default: []].append(id)
        return stored
    }

    /// Replaces the fields `changes` names on a stored item (a run that finished).
    func update(_ collection: Collection, id: String, _ changes: JSONObject) {
        guard var stored = items[collection]?[id] else { return }
        for (key, value) in changes.members { stored[key] = value }
        stored["updatedAt"] = .number(String(clock.next()))
        items[collection]?[id] = stored
    }

    /// False when there was nothing to delete.
    func delete(_ collection: Collection, id: String) -> Bool {
        guard items[collection]?.removeValue(forKey: id) != nil else { return false }
        order[collection]?.removeAll { $0 == id }
        return true
    }
}
