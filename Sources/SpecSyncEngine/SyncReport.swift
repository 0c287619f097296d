#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncSource

/// What a pass did, bundle by bundle: every decision with what came of it, and the lists and counts
/// the summary shows, all from the same entries so that they cannot disagree.
public struct SyncReport: Sendable {
    /// What applying a decision came to.
    public enum Result: String, Sendable, Codable {
        /// POSTed.
        case created
        /// Found by name (this client's) and PUT over.
        case adopted
        /// PUT.
        case updated
        /// The remote already held git's body: recorded, nothing sent.
        case recorded
        /// Not written: the reconciler refused (conflict, missing, ambiguous).
        case refused
        /// The write failed.
        case failed
        /// Has errors, not sent.
        case invalid
        /// Orphan deleted remotely.
        case pruned
        /// Orphan marked in the state (the API cannot delete).
        case marked
        /// Record dropped (it never had a remote resource).
        case forgotten
        /// A write the pass did not start because it was asked to stop (its deadline, a shutdown).
        case notStarted
        /// Nothing to do this pass (unchanged, deferred, quarantined, orphan left alone).
        case skipped

        public var isFailure: Bool { self == .failed || self == .refused || self == .invalid }
    }

    public struct Entry: Sendable {
        public let decision: Decision
        public let result: Result
    }

    public struct Failure: Sendable {
        public let bundle: BundleID
        public let name: String?
        public let reason: String
    }

    public struct RegistrationFailure: Sendable {
        public let flowSpec: String
        public let bundles: [BundleID]
        public let reason: String
    }

    public var commit: String = ""
    public var detection: DesiredState.Detection?
    /// Every decision the pass made, with its result; unchanged bundles that were not read are only counted.
    public private(set) var entries: [Entry] = []
    public var unchanged = 0
    /// The earliest moment a deferred bundle may be tried again.
    public var nextRetry: Date?
    /// The pass was asked to stop (its deadline, a shutdown) before every write was sent.
    public var stoppedEarly = false
    /// Why it was asked to stop, when it was (`SyncEngine.Options.stopReason`).
    public var stopReason: String?
    /// Why the pass stopped for every bundle, when it did (a refused identity, a state that cannot be written).
    public var interruption: String?
    /// Specs added to their flow spec this pass.
    public var registered: [BundleID] = []
    /// Specs the flow spec listed already (registered by hand, or by a run whose record was lost):
    /// recorded as registered without an update.
    public var alreadyListed: [BundleID] = []
    /// Flow spec updates that failed: each once, with the specs still waiting.
    public var registrationFailures: [RegistrationFailure] = []
    /// Changed bundles `--bundle` left out: the last synced commit stays where it was, so that the
    /// next pass still finds them.
    public var leftOut: [BundleID] = []
    public var duration: Duration = .zero

    public init() {}

    public mutating func add(_ decision: Decision, _ result: Result) {
        entries.append(Entry(decision: decision, result: result))
        if decision.kind == .unchanged { unchanged += 1 }
    }

    mutating func sort() {
        // Their order sorted, then each moved once: sorting the entries themselves moved each
        // several hundred bytes a dozen times over (4 ms of 2,000 creates' last 45).
        let entries = entries
        self.entries = entries.indices.sorted { entries[$0].decision.bundle < entries[$1].decision.bundle }.map { entries[$0] }
        registered.sort()
        alreadyListed.sort()
    }

    /// The positions of the entries whose result and kind pass `test`. By index: iterating the
    /// entries, even lazily, copies each one (a decision's dozen references retained and released),
    /// and a summary of a pass of 2,000 creates asks two dozen of these questions (BENCHMARKS.md,
    /// "Round two: the listing ahead and the server's floor").
    func positions(where test: @escaping (Result, Decision.Kind) -> Bool) -> LazyFilterSequence<Range<Int>> {
        entries.indices.lazy.filter { [entries] in test(entries[$0].result, entries[$0].decision.kind) }
    }
    func bundles(_ result: Result) -> [BundleID] { bundles { found, _ in found == result } }
    func bundles(_ kind: Decision.Kind, _ result: Result) -> [BundleID] { bundles { found, of in found == result && of == kind } }
    func bundles(where test: @escaping (Result, Decision.Kind) -> Bool) -> [BundleID] {
        positions(where: test).map { entries[$0].decision.bundle }
    }
    func failures(where test: @escaping (Result, Decision.Kind) -> Bool) -> [Failure] { positions(where: test).map { entries[$0].failure } }

    public var created: [BundleID] { bundles(.created) }
    /// Created earlier (a lost answer, or a lost state) and found by name instead of created again.
    public var adopted: [BundleID] { bundles(.adopted) }
    public var updated: [BundleID] { bundles(.updated) }
    /// Found already holding git's body: recorded without a write.
    public var recorded: [BundleID] { bundles(.recorded) }
    /// Writes that failed or were refused (conflict, deleted outside git, ambiguous name).
    public var failed: [Failure] { failures { result, _ in result == .failed || result == .refused } }
    public var invalid: [Failure] { failures { result, _ in result == .invalid } }
    /// Orphans left untouched remotely.
    public var orphaned: [BundleID] { bundles(.orphan, .skipped) }
    /// Failing bundles not tried this pass because their backoff has not run out.
    public var deferred: [BundleID] { bundles(.deferred, .skipped) }
    /// Bundles whose remote kept diverging: not sent until their body changes or a run is forced.
    public var quarantined: [BundleID] { bundles(.quarantined, .skipped) }
    /// Orphans deleted remotely.
    public var pruned: [BundleID] { bundles(.pruned) }
    /// Orphans marked where the API cannot delete.
    public var marked: [BundleID] { bundles(.marked) }
    /// Records dropped that never had a remote resource.
    public var forgotten: [BundleID] { bundles(.forgotten) }
    /// Writes left for the next pass because this one was asked to stop.
    public var notStarted: [BundleID] { bundles(.notStarted) }

    /// Every bundle in git is in sync.
    public var isInSync: Bool {
        registrationFailures.isEmpty && !stoppedEarly && positions { result, kind in
            switch result {
            case .failed, .refused, .invalid: true
            case .skipped: kind == .deferred || kind == .quarantined
            default: false
            }
        }.isEmpty
    }

    /// Bodies sent.
    public var writes: Int { created.count + adopted.count + updated.count }
}

extension SyncReport.Entry {
    var failure: SyncReport.Failure {
        SyncReport.Failure(bundle: decision.bundle, name: decision.name, reason: decision.reason ?? result.rawValue)
    }
}
