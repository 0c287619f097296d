#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif

/// Epoch timestamps in a fixed unit (milliseconds for Flow Service, microseconds for Versori) that
/// strictly increase across writes, even several within one unit or across a wall-clock step
/// backwards: clients compare `updatedAt` values to tell one version from the next, so two writes
/// must never share one.
struct TimestampStamper: Sendable {
    let unitsPerSecond: Double
    private var last: Int64 = 0

    init(unitsPerSecond: Double) {
        self.unitsPerSecond = unitsPerSecond
    }

    mutating func next() -> Int64 {
        let now = Int64((Date().timeIntervalSince1970 * unitsPerSecond).rounded(.down))
        last = max(now, last + 1)
        return last
    }
}
