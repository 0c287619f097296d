/// Which failures the emulator injects into Flow Service requests. Every decision comes from a
/// generator seeded with `seed`, so the same plan and the same request order give the same faults.
///
/// Per request, in this order: a throttle (429, not applied), else a server error (502/503/504,
/// not applied), else the request is applied and, with `dropRate`, its response is lost.
public struct FaultPlan: Sendable, Codable, Equatable {
    public var seed: UInt64 = 1
    /// Fraction of requests answered 502/503/504 without being applied.
    public var serverErrorRate = 0.0
    /// Fraction of requests that are applied but whose connection closes before any response.
    public var dropRate = 0.0
    /// Fraction of requests answered 429 with `Retry-After: retryAfterSeconds`.
    public var throttleRate = 0.0
    public var retryAfterSeconds = 1
    /// Once a 429 fires, this many consecutive requests (the first included) are answered 429.
    public var throttleBurst = 1
    /// Fraction of writes (POST, PUT) held for `lateWriteMilliseconds` before they are applied —
    /// applied then whether or not their client is still connected, as a real server finishes a
    /// request whose client timed out or was killed.
    public var lateWriteRate = 0.0
    public var lateWriteMilliseconds = 0

    public init() {}

    /// No faults at all: what `FaultPlan()` gives, named for call sites that want to say so.
    public static let none = FaultPlan()

    /// Every key is optional so that `{"dropRate": 0.5}` is a complete plan.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1
        serverErrorRate = try container.decodeIfPresent(Double.self, forKey: .serverErrorRate) ?? 0
        dropRate = try container.decodeIfPresent(Double.self, forKey: .dropRate) ?? 0
        throttleRate = try container.decodeIfPresent(Double.self, forKey: .throttleRate) ?? 0
        retryAfterSeconds = try container.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? 1
        throttleBurst = try container.decodeIfPresent(Int.self, forKey: .throttleBurst) ?? 1
        lateWriteRate = try container.decodeIfPresent(Double.self, forKey: .lateWriteRate) ?? 0
        lateWriteMilliseconds = try container.decodeIfPresent(Int.self, forKey: .lateWriteMilliseconds) ?? 0
    }

    /// What is wrong with the plan, or nil when it can be used.
    public var problem: String? {
        for (name, rate) in [("serverErrorRate", serverErrorRate), ("dropRate", dropRate), ("throttleRate", throttleRate), ("lateWriteRate", lateWriteRate)]
        where !(0...1).contains(rate) {
            return "\(name) must be between 0 and 1, got \(rate)"
        }
        if retryAfterSeconds < 0 { return "retryAfterSeconds must not be negative, got \(retryAfterSeconds)" }
        if throttleBurst < 1 { return "throttleBurst must be at least 1, got \(throttleBurst)" }
        if !(0...600_000).contains(lateWriteMilliseconds) { return "lateWriteMilliseconds must be between 0 and 600000, got \(lateWriteMilliseconds)" }
        return nil
    }
}
