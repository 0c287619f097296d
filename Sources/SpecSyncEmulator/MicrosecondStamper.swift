#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Epoch-microsecond instants that strictly increase across writes, even several within one
/// microsecond or across a wall-clock step backwards: Versori clients compare `updatedAt` values
/// to detect a change made by someone else, so two versions must never share one.
struct MicrosecondStamper: Sendable {
    private var last: Int64 = 0

    mutating func next() -> Int64 {
        let now = Int64((Date().timeIntervalSince1970 * 1_000_000).rounded(.down))
        last = max(now, last + 1)
        return last
    }
}
