/// How many requests a target keeps in flight (`flowService.concurrency`, `versori.concurrency`):
/// learnt from the server's answers, or a number the operator chose.
public enum ConcurrencySetting: Sendable, Equatable {
    /// Grown while the answers keep their latency, cut and paced on a 429, within 1...64
    /// (`AdaptiveConcurrencyLimiter`).
    case adaptive
    /// Exactly this many at most; no limiter.
    case fixed(Int)

    /// The word that selects `adaptive` in the configuration.
    public static let adaptiveWord = "adaptive"
    /// The most requests in flight either way.
    public static let maximum = 64

    /// Tasks the engine runs for it: the fixed number, or the limiter's maximum (it gates them).
    public var slots: Int {
        switch self {
        case .adaptive: Self.maximum
        case .fixed(let count): count
        }
    }

    /// "adaptive", "8": as the configuration writes it.
    public var text: String {
        switch self {
        case .adaptive: Self.adaptiveWord
        case .fixed(let count): String(count)
        }
    }
}
