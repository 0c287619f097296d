import SpecSyncEmulator

/// The faults an emulator injected, read from its statistics: 429s, 502/503/504s, and answers lost
/// after the request was applied.
struct FaultCount: Sendable, Codable {
    var throttled = 0
    var serverErrors = 0
    var dropped = 0

    init(_ statistics: EmulatorStatistics) {
        for (key, count) in statistics.requests {
            guard let status = key.split(separator: " ").last.flatMap({ Int($0) }) else { continue }
            if status == 429 { throttled += count }
            if [502, 503, 504].contains(status) { serverErrors += count }
        }
        dropped = statistics.droppedAfterApplying
    }

    var total: Int { throttled + serverErrors + dropped }
}
