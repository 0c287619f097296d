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

    /// 429 honours Retry-After; 502, 503, 504 and transport failures back off exponentially;
    /// anything else is final.
    public func decision(after outcome: Outcome, attempt: Int, using random: inout some RandomNumberGenerator) -> Decision {
        guard attempt < maxAttempts else { return .giveUp }
        switch outcome {
        case .status(429, let retryAfter?):
            return retryAfter <= maxRetryAfter ? .retry(after: retryAfter) : .giveUp
        case .status(429, nil), .status(502, _), .status(503, _), .status(504, _), .transportFailure:
            return .retry(after: backoff(attempt: attempt, using: &random))
        case .status:
            return .giveUp
        }
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
        if let seconds = Int(value), seconds >= 0 { return .seconds(seconds) }
        guard let date = HTTPDate.parse(value) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000)))
    }
}
