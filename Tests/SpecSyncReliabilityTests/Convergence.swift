import Foundation
import SpecSyncCore
import SpecSyncJSON

/// The end state a reliability run must reach, checked from outside: what the emulator holds, what
/// specsync's state records (through `status`), and what git asks for.
struct Convergence: Sendable, Codable {
    /// Remote specs beyond the first with the same name.
    var duplicates = 0
    /// Bundles whose record is missing, failed, or names a spec the emulator does not hold, and
    /// remote specs no record names.
    var lost = 0
    /// Records whose `updatedAt` is not the remote's, and remote specs whose content is not git's.
    var mismatched = 0
    /// Specs missing from the flow spec's `sourceConnectionSpecIds`, or listed twice.
    var unregistered = 0
    /// Up to 20 of the problems, for the failure message.
    var problems: [String] = []

    var isClean: Bool { duplicates + lost + mismatched + unregistered == 0 }

    static let flowSpecID = "6499120c-0b15-42dc-936e-847ea3c24d72"
    static let descriptionPointer = JSONPointer("/sourceSpec/attributes/uiAttributes/description/text")

    /// Compares `emulator` with `records` and the expected `descriptions` (bundle → text).
    static func check(emulator: EmulatorProcess, records: [String: StateRecord], descriptions: [String: String]) async throws -> Convergence {
        var result = Convergence()
        let specs = try await emulator.connectionSpecs()
        var byName: [String: [JSONValue]] = [:]
        var byID: [String: JSONValue] = [:]
        for spec in specs {
            byName[spec[JSONPointer("/name")]?.stringValue ?? "", default: []].append(spec)
            if let id = spec[JSONPointer("/id")]?.stringValue { byID[id] = spec }
        }
        for (name, found) in byName where found.count > 1 {
            result.duplicates += found.count - 1
            result.note("\(found.count) specs named '\(name)'")
        }
        var recorded: Set<String> = []
        for (source, description) in descriptions.sorted(by: { $0.key < $1.key }) {
            guard let record = records[source], let id = record.id else {
                result.lost += 1
                result.note("\(source): no recorded id")
                continue
            }
            recorded.insert(id)
            if let error = record.lastError {
                result.lost += 1
                result.note("\(source): last error \(error)")
            }
            guard let remote = byID[id] else {
                result.lost += 1
                result.note("\(source): recorded id \(id) is not on the emulator")
                continue
            }
            let remoteUpdatedAt = remote[JSONPointer("/updatedAt")].flatMap(ReliabilityRepository.integer)
            if record.updatedAt != remoteUpdatedAt {
                result.mismatched += 1
                result.note("\(source): recorded updatedAt \(record.updatedAt.map(String.init) ?? "none"), remote \(remoteUpdatedAt.map(String.init) ?? "none")")
            }
            if remote[descriptionPointer]?.stringValue != description {
                result.mismatched += 1
                result.note("\(source): remote description '\(remote[descriptionPointer]?.stringValue ?? "none")', git '\(description)'")
            }
        }
        for id in byID.keys.sorted() where !recorded.contains(id) {
            result.lost += 1
            result.note("remote spec \(id) (\(byID[id]?[JSONPointer("/name")]?.stringValue ?? "?")) is in no record")
        }
        let flowSpec = try await emulator.flowSpecs().first { $0[JSONPointer("/id")]?.stringValue == flowSpecID }
        let listed = (flowSpec?[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue ?? []).compactMap(\.stringValue)
        if listed.count != Set(listed).count {
            result.unregistered += listed.count - Set(listed).count
            result.note("the flow spec lists \(listed.count - Set(listed).count) ids twice")
        }
        let missing = recorded.subtracting(listed)
        if !missing.isEmpty {
            result.unregistered += missing.count
            result.note("\(missing.count) specs are not in the flow spec, e.g. \(missing.sorted().prefix(3))")
        }
        return result
    }

    private mutating func note(_ problem: String) {
        if problems.count < 20 { problems.append(problem) }
    }
}
