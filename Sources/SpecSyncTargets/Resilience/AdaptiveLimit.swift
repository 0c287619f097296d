#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SpecSyncCore

/// How many requests to keep in flight, and how fast to start them, learnt from the answers: the
/// decisions of `AdaptiveConcurrencyLimiter`, as a pure state machine over given instants, latencies
/// and statuses.
///
/// - Unthrottled, the window grows while the answers keep their latency: doubling up to
///   `slowStartThreshold`, then one more request per window of answers (additive increase), and
///   only while the requests fill the window (a pass with three writes does not grow it to 64).
///   Latency inflation stops it, as Netflix's concurrency-limits (gradient) and TCP Vegas do: the
///   recent latency over 1.5 times the lowest stops growth, over twice shrinks the window.
/// - A 429 says the server counts requests per second, which a window alone cannot follow (100
///   requests/s at 20 ms is two in flight): the limiter then paces starts at a rate, as AWS SDK's
///   adaptive retry mode does. The rate is cut to 0.9 of what the server admitted (never more than
///   the rate sent; see `throttled`), and grows back along a cubic curve (CUBIC) that starts at 0.9
///   of it, flattens out at it and only later probes beyond it. The requests of one round that were
///   already in flight when a 429 came back cut once, not once each.
/// - The first 429 cannot say what the server admits: the answers before it include the server's
///   burst. So the first cut is deep (a quarter), and a probe then counts: held for a counting
///   window, the rate is the server's when some of the window's requests were refused, and grows
///   by a quarter and counts again when none were (see `probed`).
public struct AdaptiveLimit<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public static var bounds: ClosedRange<Int> { 1...ConcurrencySetting.maximum }
    /// Where a window starts, and what the engine prices reads at (`RatePolicy.pricedConcurrency`).
    public static var initial: Int { 4 }
    static var slowStartThreshold: Double { 8 }
    /// The window grows while the recent latency is within this multiple of the lowest (Netflix's
    /// gradient limiter's tolerance), holds up to `shrinkInflation`, and shrinks beyond it. A
    /// client on a busy machine adds its own CPU to every latency, so the tolerance is not small.
    static var growthInflation: Double { 1.5 }
    static var shrinkInflation: Double { 2 }
    /// The cut of the rate on a 429 (AWS uses 0.7; the estimate here is of the server's own rate,
    /// so less is given away).
    static var rateCut: Double { 0.9 }
    /// The shortest time the answers since a cut are counted over (see `throttled`).
    static var minimumCountingTime: Double { 0.1 }
    /// The first cut, before the probe counts the server's rate (see `probed`). Measured on a
    /// simulation of token buckets (BENCHMARKS.md, "Round two: adaptive concurrency"): a half still
    /// sent more than twice the server's rate during the probe's window, whose 429s were then about
    /// a third of all.
    static var firstRateCut: Double { 0.25 }
    /// How much a probe that saw no refusal raises the rate before counting again: a bucket refills
    /// while the rate is under the server's, so a doubling met a full burst and overshot by far.
    static var probeGrowth: Double { 1.25 }
    /// CUBIC's scaling constant, in requests/s per s³: how soon the rate probes past the ceiling.
    static var cubic: Double { 0.1 }
    /// Answers per period of the latency baseline: the baseline is the lowest latency of this and
    /// the previous period, so that it follows a path that got slower for good.
    static var baselinePeriod: Int { 256 }

    /// Requests in flight allowed, fractional so that additive increase can add 1 ÷ window an answer.
    public private(set) var window: Double
    /// Requests started per second, once a 429 was answered; nil: unpaced.
    public private(set) var rate: Double?
    /// The rate the server admitted at the last 429.
    public private(set) var ceiling: Double?
    private var slowStart = true
    private var smoothedLatency: Double?
    private var baseline: Double?
    private var previousPeriodMinimum: Double?
    private var periodMinimum: Double?
    private var periodAnswers = 0
    private var lastCut: Instant?
    /// Requests numbered below this were sent before the last cut: their 429s are of the same round.
    private var cutSequence = 0
    private(set) var sent = 0
    /// When the non-429 answers of the last second came back.
    private var admitted: [Instant] = []
    private var admittedStart = 0
    private var firstAdmitted: Instant?
    private var admittedSinceCut = 0
    /// From the first 429 until the server's rate is counted (see `probed`).
    private var probe: Probe?
    private struct Probe {
        /// When the first answer to a request sent at the probe's rate came back.
        var since: Instant?
        var admitted = 0
        var refused = 0
    }

    public init(initial: Int = Self.initial) {
        window = Double(Self.bounds.clamped(initial))
    }

    /// Requests that may be in flight now.
    public var limit: Int { Self.bounds.clamped(Int(window)) }

    /// The lowest latency of recent answers, the limiter's idea of an unloaded server.
    public var baselineLatency: Duration? { baseline.map { .seconds($0) } }

    /// A request goes out: its number, to give back with its outcome.
    public mutating func send() -> Int {
        sent += 1
        return sent - 1
    }

    /// The outcome of request `sequence`, `latency` after it was sent. `saturated`: it had to wait
    /// for its turn or took the last free place, so a larger window or rate could have sent more.
    public mutating func finished(sequence: Int, outcome: PacingOutcome, latency: Duration, at now: Instant, saturated: Bool) {
        if probe != nil, sequence >= cutSequence {
            switch outcome {
            case .answered(429): probe?.refused += 1
            case .answered(let status) where status < 500: probe?.admitted += 1
            case .answered, .failed: break
            }
            if probe?.since == nil { probe?.since = now }
        }
        switch outcome {
        case .answered(429) where probe != nil:
            probed(at: now)
        case .answered(429):
            throttled(sequence: sequence, at: now)
        case .answered(let status) where status < 500:
            answered(latency: Self.seconds(latency), at: now, saturated: saturated)
        case .answered, .failed:
            // A server error or no answer says nothing about how many the server takes.
            break
        }
    }

    private mutating func answered(latency: Double, at now: Instant, saturated: Bool) {
        admitted.append(now)
        firstAdmitted = firstAdmitted ?? now
        admittedSinceCut += 1
        trimAdmitted(at: now)
        observe(latency: latency)
        guard let baseline, let smoothed = smoothedLatency else { return }
        if probe != nil {
            probed(at: now)
            if let rate { window = Self.window(for: rate, latency: smoothed) }
            return
        }
        if let rate {
            paced(rate: rate, at: now, saturated: saturated, latency: smoothed, baseline: baseline)
            return
        }
        let inflation = baseline > 0 ? smoothed / baseline : 1
        if inflation > Self.shrinkInflation {
            slowStart = false
            window = max(Double(Self.bounds.lowerBound), window - 1 / window)
        } else if inflation > Self.growthInflation {
            slowStart = false
        } else if saturated {
            let growth = slowStart && window < Self.slowStartThreshold ? 1 : 1 / window
            window = min(Double(Self.bounds.upperBound), window + growth)
        }
    }

    /// Paced after a 429: the rate follows the cubic curve from the last cut (only while the
    /// requests wait for it), and the window is what that rate needs at the current latency.
    private mutating func paced(rate: Double, at now: Instant, saturated: Bool, latency: Double, baseline: Double) {
        if saturated, let ceiling, let lastCut {
            let elapsed = Self.seconds(lastCut.duration(to: now))
            let k = cbrt(ceiling * (1 - Self.rateCut) / Self.cubic)
            let curve = Self.cubic * Self.cube(elapsed - k) + ceiling
            // Never more than twice what was admitted lately (AWS's rule), so a pause does not
            // come back as a burst.
            let recent = Double(admitted.count - admittedStart)
            self.rate = max(rate, min(curve, 2 * max(recent, 1)))
        }
        let current = self.rate ?? rate
        // Once the rate is more than the whole window could send unloaded, pacing is moot.
        if current * baseline > Double(Self.bounds.upperBound) {
            self.rate = nil
            window = Double(Self.bounds.upperBound)
            return
        }
        window = Self.window(for: current, latency: latency)
    }

    /// What the server admitted: the answers of the last second over the time they span (at least
    /// two round trips), and, once cut before, no more than the answers since that cut over the time
    /// since, which is exactly the server's rate while it refuses some: its burst is spent.
    private mutating func throttled(sequence: Int, at now: Instant) {
        slowStart = false
        guard sequence >= cutSequence else { return }
        trimAdmitted(at: now)
        let latency = smoothedLatency ?? 0
        let recent = admitted.count - admittedStart
        var cut = Self.rateCut
        var estimate = 1.0
        if recent > 0, let firstAdmitted {
            let span = min(1, max(Self.seconds(firstAdmitted.duration(to: now)), 2 * latency, 0.001))
            estimate = Double(recent) / span
            if let lastCut {
                let since = Self.seconds(lastCut.duration(to: now))
                // Counted over a tenth of a second at least: over one round trip, a few answers'
                // jitter made it an underestimate that the cubic curve takes seconds to make up.
                if since >= max(latency / 2, Self.minimumCountingTime) {
                    estimate = min(estimate, Double(max(admittedSinceCut, 1)) / since)
                }
            } else {
                // The first estimate may still hold the server's burst: a probe counts the rate.
                cut = Self.firstRateCut
                probe = Probe()
            }
        }
        if let rate { estimate = min(estimate, rate) }
        let rate = max(Self.minimumRate, estimate * cut)
        self.rate = rate
        ceiling = probe == nil ? estimate : nil
        lastCut = now
        cutSequence = sent
        admittedSinceCut = 0
        window = min(window, Self.window(for: rate, latency: latency))
    }

    /// Ends the probe once its counting window is long enough (a round trip, and at least
    /// `minimumCountingTime`). Refusals in it: the answers admitted were the server's rate, cut as a
    /// counted 429 is. None: the server takes more than the probe sent, so the rate grows by
    /// `probeGrowth` and a new window counts.
    private mutating func probed(at now: Instant) {
        guard let current = probe, let since = current.since, let rate else { return }
        let elapsed = Self.seconds(since.duration(to: now))
        let latency = smoothedLatency ?? 0
        guard elapsed >= max(latency, Self.minimumCountingTime) else { return }
        if current.refused > 0 {
            let admittedRate = Double(max(current.admitted, 1)) / elapsed
            self.rate = max(Self.minimumRate, admittedRate * Self.rateCut)
            ceiling = admittedRate
            probe = nil
            lastCut = now
            admittedSinceCut = 0
        } else if rate * Self.probeGrowth * (baseline ?? latency) > Double(Self.bounds.upperBound) {
            // More than the whole window could send unloaded: the 429 was not a rate after all
            // (a gateway's one-off, say), and pacing is moot, as in `paced`.
            self.rate = nil
            probe = nil
            window = Double(Self.bounds.upperBound)
            return
        } else {
            self.rate = rate * Self.probeGrowth
            probe = Probe()
        }
        cutSequence = sent
        window = Self.window(for: self.rate ?? rate, latency: latency)
    }

    /// The window a rate needs at a latency: twice its requests per round trip, and one more.
    static func window(for rate: Double, latency: Double) -> Double {
        // Bounded before it becomes an Int, which traps on a value past Int.max.
        Double(bounds.clamped(Int(min(2 * rate * latency, Double(bounds.upperBound)).rounded(.up)) + 1))
    }

    /// One request a second at the least: a server that admits nothing is waited out by the retry
    /// policy's Retry-After, not here. (A tenth of a second let an estimate made while a starved
    /// machine answered slowly space the last requests of a pass ten seconds apart.)
    static var minimumRate: Double { 1 }

    private mutating func observe(latency: Double) {
        smoothedLatency = smoothedLatency.map { 0.8 * $0 + 0.2 * latency } ?? latency
        periodMinimum = min(periodMinimum ?? latency, latency)
        periodAnswers += 1
        if periodAnswers >= Self.baselinePeriod {
            previousPeriodMinimum = periodMinimum
            periodMinimum = nil
            periodAnswers = 0
        }
        baseline = [periodMinimum, previousPeriodMinimum].compactMap { $0 }.min()
    }

    private mutating func trimAdmitted(at now: Instant) {
        while admittedStart < admitted.count, admitted[admittedStart].duration(to: now) >= .seconds(1) { admittedStart += 1 }
        if admittedStart > 1024 {
            admitted.removeFirst(admittedStart)
            admittedStart = 0
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func cube(_ value: Double) -> Double { value * value * value }
}

extension ClosedRange where Bound == Int {
    func clamped(_ value: Int) -> Int { Swift.min(Swift.max(value, lowerBound), upperBound) }
}
