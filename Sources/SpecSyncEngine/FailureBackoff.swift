#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore

/// How long a failing bundle waits before the same body is sent again: base·2^(failures-1), at most
/// `maximum`. A new body (a new commit of the bundle) is tried at once; a success resets it.
public struct FailureBackoff: Sendable, Equatable {
    public let base: Duration
    public let maximum: Duration

    public init(base: Duration, maximum: Duration) {
        self.base = base
        self.maximum = maximum
    }

    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        return min(base * (1 << min(failures - 1, 30)), maximum)
    }

    /// When the record's bundle may be tried again; nil when it is not failing.
    public func nextAttempt(for record: BundleRecord) -> Date? {
        guard record.lastError != nil, let last = record.lastAttemptAt else { return nil }
        let delay = delay(afterFailures: record.consecutiveFailures)
        return last.addingTimeInterval(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
    }
}
