import Foundation
import SpecSyncJSON

/// A scenario's figures, for RELIABILITY.md: printed on one line, and written as JSON to the folder
/// `SPECSYNC_RELIABILITY_RESULTS` names (Tests/Reliability/run.sh sets it).
enum ScenarioReport {
    static func publish(_ name: String, _ figures: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(figures)
        print("figures \(name): \(String(decoding: data, as: UTF8.self))")
        if let folder = ProcessInfo.processInfo.environment["SPECSYNC_RELIABILITY_RESULTS"], !folder.isEmpty {
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try encoder.encode(figures).write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(name).json"))
        }
    }
}
