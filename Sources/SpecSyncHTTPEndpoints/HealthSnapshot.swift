#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif

/// What `/readyz` reports: enough for an operator to see whether the loop is alive and what it
/// last synced, without reading the logs. Absent values are written as `null`, so the shape is
/// the same before and after the first pass.
public struct HealthSnapshot: Sendable, Codable, Equatable {
    /// True while the last pass ran (bundles in it may have failed); false before the first and
    /// after a pass that could not run at all.
    public var ready: Bool
    /// When the last pass ended, whatever its outcome.
    public var lastPassAt: Date?
    /// When the last successful pass ended.
    public var lastSuccessAt: Date?
    /// The commit the last pass worked from.
    public var lastCommit: String?
    /// Passes completed since start, successful or not.
    public var passes: Int
    /// Whether this instance leads (holds the state lock and runs passes) or stands by; null until
    /// it knows.
    public var role: DaemonRole?

    public init(ready: Bool, lastPassAt: Date?, lastSuccessAt: Date?, lastCommit: String?, passes: Int, role: DaemonRole? = nil) {
        self.ready = ready
        self.lastPassAt = lastPassAt
        self.lastSuccessAt = lastSuccessAt
        self.lastCommit = lastCommit
        self.passes = passes
        self.role = role
    }

    private enum CodingKeys: String, CodingKey {
        case ready, lastPassAt, lastSuccessAt, lastCommit, passes, role
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ready, forKey: .ready)
        try container.encode(lastPassAt, forKey: .lastPassAt)
        try container.encode(lastSuccessAt, forKey: .lastSuccessAt)
        try container.encode(lastCommit, forKey: .lastCommit)
        try container.encode(passes, forKey: .passes)
        try container.encode(role, forKey: .role)
    }

    /// The JSON `/readyz` serves: sorted keys, ISO 8601 dates.
    public func jsonBytes() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(self)).map(Array.init) ?? Array(#"{"ready":\#(ready)}"#.utf8)
    }
}
