#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore

/// When to try a request again and how long to wait first. Pure: the caller supplies the attempt
/// number and the randomness, so the schedule is testable without waiting.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first one included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A server asking for a longer pause than this is not waited for: the request fails instead.
    public var maxRetryAfter: Duration
    /// Up to this fraction of each backoff is randomly taken off, so clients that failed together
    /// do not retry together.
    public var jitter: Double

    public init(
        maxAttempts: Int = 6, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(300), jitter: Double = 0.5
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    public enum Outcome: Sendable, Equatable {
        /// The server answered with this status (and maybe a Retry-After).
        case status(Int, retryAfter: Duration?)
        /// No complete answer.
        case transportFailure
    }

    public enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case giveUp
    }

    /// Transient answers are retried: 408, 429 and 5xx (but 501 and 505, which say the server
    /// cannot do it at all) honour a Retry-After up to `maxRetryAfter`, else back off exponentially,
    /// like transport failures. Any other status is final; so is a Retry-After over the cap
    /// (`exceedsRetryAfterCap` says so).
    public func decision(after outcome: Outcome, attempt: Int, using random: inout some RandomNumberGenerator) -> Decision {
        guard attempt < maxAttempts else { return .giveUp }
        switch outcome {
        case .status(let status, let retryAfter) where Self.isTransient(status):
            if let retryAfter { return retryAfter <= maxRetryAfter ? .retry(after: retryAfter) : .giveUp }
            return .retry(after: backoff(attempt: attempt, using: &random))
        case .transportFailure:
            return .retry(after: backoff(attempt: attempt, using: &random))
        case .status:
            return .giveUp
        }
    }

    /// A status that may be different on the next attempt.
    public static func isTransient(_ status: Int) -> Bool {
        status == 408 || status == 429 || ((500...599).contains(status) && status != 501 && status != 505)
    }

    /// The pause the server asked for when it is longer than this policy waits.
    public func exceedsRetryAfterCap(_ outcome: Outcome) -> Duration? {
        guard case .status(let status, let retryAfter?) = outcome, Self.isTransient(status), retryAfter > maxRetryAfter else { return nil }
        return retryAfter
    }

    /// Capped exponential backoff with jitter: base·2^(attempt-1), at most maxDelay, minus up to
    /// `jitter` of itself.
    public func backoff(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let uncapped = baseDelay * (1 << exponent)
        let capped = min(uncapped, maxDelay)
        let reduction = jitter > 0 ? Double.random(in: 0...jitter, using: &random) : 0
        return capped * (1 - reduction)
    }

    /// `Retry-After` is either delay-seconds or an HTTP date.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingWhitespaceAndNewlines(), !value.isEmpty else { return nil }
        // Clamped to a year: any pause that long is refused anyway, and no number traps.
        let year: Int64 = 366 * 86_400
        if value.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            return .seconds(Int64(value).map { min($0, year) } ?? year)
        }
        guard let date = HTTPDate.parse(value) else { return nil }
        let seconds = date.timeIntervalSince(now)
        guard seconds.isFinite else { return nil }
        return .milliseconds(Int64(max(0, min(seconds, Double(year))) * 1000))
    }
}
