#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Epoch-millisecond timestamps that strictly increase across writes, even several within one
/// millisecond or across a wall-clock step backwards: clients compare `updatedAt` values to tell
/// one version from the next, so two writes must never share one.
struct MillisecondStamper: Sendable {
    private var last: Int64 = 0

    mutating func next() -> Int64 {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        last = max(now, last + 1)
        return last
    }
}
