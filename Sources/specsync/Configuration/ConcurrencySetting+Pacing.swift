import SpecSyncCore
import SpecSyncTargets

extension ConcurrencySetting {
    /// What a target's requests wait on: the adaptive limiter (under `requestsPerSecond` when one
    /// is configured); for a fixed concurrency, a token bucket when `requestsPerSecond` is set,
    /// else nothing (the engine's slots are the limit).
    func pacer(requestsPerSecond: Double?) -> (any RequestPacing)? {
        switch self {
        case .adaptive:
            AdaptiveConcurrencyLimiter(maximumRate: requestsPerSecond, clock: ContinuousClock())
        case .fixed(let count):
            requestsPerSecond.map { RequestPacer(ratePerSecond: $0, burst: max(1, count), clock: ContinuousClock()) }
        }
    }

    /// What a pass prices reads against a listing at: the limiter's starting window when it is
    /// adaptive (see `RatePolicy.pricedConcurrency`), the slots themselves when fixed.
    var pricedConcurrency: Int? {
        self == .adaptive ? AdaptiveLimit<ContinuousClock.Instant>.initial : nil
    }
}
