#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncCore
import SpecSyncGit
import SpecSyncSource
import SpecSyncTargets

/// One pass: what git wants at a commit, against what the state records and what the remote says,
/// decided by the `Reconciler`, applied to a target and recorded after every success. Safe to run
/// again at any time, after any failure: creates look the spec up by name first, so a crash between
/// a POST and its record never duplicates a spec.
public struct SyncEngine: Sendable {
    public struct Options: Sendable {
        /// Requests in flight at once.
        public var concurrency = 4
        /// Rounds of "look up by name, then POST" before a create is given up for this pass.
        public var createAttempts = 5
        public var retry = RetryPolicy()
        /// Asked before each write starts: true stops the pass after the writes in flight.
        public var shouldStop: @Sendable () -> Bool = { false }
        /// Why `shouldStop` said true, in words for the report.
        public var stopReason: @Sendable () -> String = { "specsync is shutting down" }
        /// Patches and secrets applied to every body, and their fingerprint.
        public var customization = BodyCustomization.none
        public var inputsFingerprint: String?
        /// How the reconciler decides: conflicts, quarantine, backoff, prune, whose resources are ours.
        public var policy = Reconciler.Policy()
        /// The flow spec each bundle's spec must be listed in; empty: none.
        public var flowSpecs = FlowSpecAssignment()
        /// Compare every bundle with its record instead of following the tree diff (`--full-scan`).
        public var fullScan = false
        /// Only these bundles (`--bundle`); nil: every bundle. The diff base does not move past a
        /// changed bundle left out.
        public var selection: BundleSelection?

        public init() {}
    }

    public let repository: GitRepository
    public let layout: BundleLayout
    public let target: any SyncTarget
    public let options: Options
    public let logger: Logger
    let progress: @Sendable (SyncProgress) -> Void

    public init(
        repository: GitRepository, layout: BundleLayout, target: any SyncTarget, options: Options = Options(),
        logger: Logger, progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
    ) {
        self.repository = repository
        self.layout = layout
        self.target = target
        self.options = options
        self.logger = logger
        self.progress = progress
    }

    public var reconciler: Reconciler {
        var policy = options.policy
        policy.canDelete = policy.canDelete && target is any SpecDeleting
        policy.owner = policy.owner ?? target.owner
        return Reconciler(policy: policy, resource: layout.resource)
    }

    // MARK: - Deciding

    /// What git wants at `commit` against `state`, as far as a pass needs it.
    public func desiredState(
        commit: ObjectID, state: SyncState?, candidatesKnown: @Sendable ([BundleID]) -> Void = { _ in }
    ) async throws -> DesiredState {
        try await DesiredStateResolver(repository: repository, layout: layout, customization: options.customization)
            .resolve(commit: commit, state: state, inputsFingerprint: options.inputsFingerprint, fullScan: options.fullScan,
                     candidatesKnown: candidatesKnown)
    }

    /// `desiredState`, with the target's listing read meanwhile when the bundles about to be
    /// evaluated call for one (`ListingAhead`).
    func desiredStateReadingAhead(commit: ObjectID, state: SyncState) async throws -> (DesiredState, ListingAhead?) {
        let (candidates, announce) = AsyncStream.makeStream(of: [BundleID].self, bufferingPolicy: .bufferingNewest(1))
        async let ahead = listingAhead(for: candidates, state: state)
        let desired: DesiredState
        do {
            desired = try await desiredState(commit: commit, state: state, candidatesKnown: { announce.yield($0) })
        } catch {
            announce.finish()
            throw error
        }
        announce.finish()
        return (desired, await ahead)
    }

    func listingAhead(for candidates: AsyncStream<[BundleID]>, state: SyncState) async -> ListingAhead? {
        for await bundles in candidates {
            // Walked beside the file's lines, no record decoded: a full scan names every bundle.
            let creates = state.bundles.unrecorded(among: bundles).count
            guard reconciler.readsListing(lookups: creates, recorded: state.bundles.count, slots: readSlots, rate: target.ratePolicy) else {
                return nil
            }
            do {
                return ListingAhead(listing: .success(try await target.list(bundles: bundles)))
            } catch {
                return ListingAhead(listing: .failure(error))
            }
        }
        return nil
    }

    /// The decisions a pass would make for `plan`, reading the remote (GET only) exactly as the pass
    /// would: `plan` shows these. `offline` reads nothing and leaves creates and checked updates as
    /// step one made them.
    public func decisions(for plan: Plan, desired: DesiredState, state: SyncState?, offline: Bool = false) async throws -> [Decision] {
        let reconciler = reconciler
        let local = reconciler.decide(plan, state: state, gitIsEmpty: desired.bundles.isEmpty, now: Date())
        guard !offline else { return local }
        return try await resolved(local, desired: desired, state: state, reconciler: reconciler)
    }

    /// `local` decisions made final with what the remote says now (GET only).
    func resolved(_ local: [Decision], desired: DesiredState, state: SyncState?, reconciler: Reconciler) async throws -> [Decision] {
        let bodies = Self.bodies(of: desired)
        let listed = try await currentRemotes(for: local, reconciler: reconciler, state: state)
        var decisions: [Decision] = []
        for decision in local {
            guard let lookup = reconciler.lookup(for: decision), let body = bodies[decision.bundle] else {
                decisions.append(decision)
                continue
            }
            let fact = try await self.fact(lookup, bundle: decision.renamedFrom ?? decision.bundle, listed: listed)
            decisions.append(reconciler.resolve(decision, record: state?[decision.renamedFrom ?? decision.bundle], fact: fact, body: body))
        }
        return decisions
    }

    /// The part of `plan` that `options.selection` asks for, and the changed bundles it leaves out.
    /// A pattern that names no bundle in git or in the state is an error rather than an empty pass.
    public func select(_ plan: Plan, desired: DesiredState, state: SyncState?) throws(BundleSelectionError) -> (plan: Plan, leftOut: [BundleID]) {
        guard let selection = options.selection else { return (plan, []) }
        let known = Set(desired.bundles).union((state?.bundles.keys ?? []).lazy.map { BundleID($0) })
        let unmatched = selection.unmatched(in: known)
        guard unmatched.isEmpty else { throw BundleSelectionError(unmatched: unmatched, commit: desired.commit.hex) }
        let (kept, left) = plan.changes.reduce(into: ([PlannedChange](), [PlannedChange]())) { parts, change in
            if selection.contains(change) { parts.0.append(change) } else { parts.1.append(change) }
        }
        let unlisted = plan.unlistedUnchanged == 0 ? 0 : desired.unchanged.lazy.filter(selection.contains).count
        let selected = Plan(commit: plan.commit, baseCommit: plan.baseCommit, changes: kept, unlistedUnchanged: unlisted)
        return (selected, left.filter { $0.action != .unchanged }.map(\.bundle))
    }

    // MARK: - Applying

    /// Decides `commit` against the recorder's state and the remote, and applies the decisions.
    /// With `saved`, applies that plan's decisions or none: when what it was decided from moved
    /// (another commit, state serial or lineage, a remote revision, a body hash), `StalePlan` says
    /// what, before anything is sent or recorded.
    public func run(commit: ObjectID, recorder: StateRecorder, applying saved: SavedPlan? = nil) async throws -> SyncReport {
        let started = ContinuousClock.now
        let state = await recorder.state
        // A saved plan's listing is read when the plan is checked against the remote, not ahead.
        let (desired, ahead) = saved == nil
            ? try await desiredStateReadingAhead(commit: commit, state: state) : (try await desiredState(commit: commit, state: state), nil)
        let (plan, leftOut) = try select(Planner().plan(
            commit: commit.hex, evaluated: desired.evaluated, unchanged: desired.unchanged,
            renames: desired.renames, state: state, fieldDifferences: false, listUnchanged: false), desired: desired, state: state)
        let reconciler = reconciler
        let decisions = reconciler.decide(plan, state: state, gitIsEmpty: desired.bundles.isEmpty, now: Date())
        var expected: [BundleID: SavedPlan.Entry]?
        if let saved {
            let current = SavedPlan(
                decisions: try await resolved(decisions, desired: desired, state: state, reconciler: reconciler), target: state.target,
                commit: commit.hex, state: state, selection: options.selection, fullScan: options.fullScan)
            let moved = reconciler.movements(from: saved, to: current)
            guard moved.isEmpty else { throw StalePlan(movements: moved) }
            expected = Dictionary(saved.entries.map { ($0.bundle, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let bodies = Self.bodies(of: desired)
        let blobs = Dictionary(desired.evaluated.map { ($0.id, $0.specBlobID) }, uniquingKeysWith: { first, _ in first })
        // What the registration needs of `desired`, which then goes: the write pipeline holds the
        // only copy of each body and lets it go once its write is done (a first sync of 50,000 held
        // every body until the pass ended).
        let registering = Registering(desired, streaming: target is any FlowSpecRegistering && !options.flowSpecs.isEmpty ? desired.streamingBundles : [])
        _ = consume desired

        var report = SyncReport()
        report.commit = commit.hex
        report.detection = registering.detection
        report.unchanged = plan.unlistedUnchanged
        report.leftOut = leftOut
        do {
            var writes: [Decision] = []
            let prunes = decisions.filter { $0.kind == .prune }
            for decision in decisions {
                switch decision.kind {
                case .create, .update:
                    writes.append(decision)
                case .invalid:
                    report.add(decision, .invalid)
                    // Pending, so the bundle is looked at again on every pass until it is fixed.
                    if state[decision.bundle]?.lastError != decision.reason {
                        try await recorder.failed(bundle: decision.bundle, renamedFrom: decision.renamedFrom, name: decision.name,
                                                  kind: .invalid, error: decision.reason ?? "invalid")
                    }
                case .forget:
                    try await recorder.forgotten([decision.bundle])
                    report.add(decision, .forgotten)
                case .deferred:
                    report.add(decision, .skipped)
                    if let next = decision.retryAt { report.nextRetry = min(report.nextRetry ?? next, next) }
                default:
                    // unchanged, quarantined, orphan: nothing to do now; prune comes after the writes.
                    if decision.kind != .prune { report.add(decision, .skipped) }
                }
            }

            // The bodies of this pass's updates are on record before the first is sent (one write).
            let updates = writes.filter { $0.kind == .update }.compactMap { decision in
                decision.desiredHash.map { (bundle: decision.bundle, renamedFrom: decision.renamedFrom, bodyHash: $0) }
            }
            try await recorder.sending(updates)
            // The pass's decisions live on in the report and the writes, not a third time (a first
            // sync of 50,000 held 19 MB of them, and the writes' 25 MB past their last use).
            _ = consume decisions
            let stoppedEarly = try await apply(consume writes, bodies: consume bodies, blobs: blobs, commit: commit.hex, state: state,
                                               reconciler: reconciler, expected: expected, ahead: ahead, recorder: recorder, report: &report)
            report.stoppedEarly = stoppedEarly
            if !stoppedEarly {
                try await registerInFlowSpecs(registering, recorder: recorder, report: &report)
                try await prune(prunes, recorder: recorder, report: &report)
            }
            // Every bundle that is not settled now has a pending record, so moving the diff base on is
            // safe — unless writes were never started, whose bundles have no record of the change, or
            // changed bundles were left out (`--bundle`): the next pass must still find them.
            if !stoppedEarly && leftOut.isEmpty {
                try await recorder.finishPass(commit: commit.hex, inputsFingerprint: options.inputsFingerprint)
            } else if !stoppedEarly {
                try await recorder.save()
            }
        } catch let error as AuthenticationError {
            throw interrupted(&report, by: error, started: started)
        } catch let error as StateError {
            throw interrupted(&report, by: error, started: started)
        }
        report.sort()
        report.duration = ContinuousClock.now - started
        return report
    }

    /// The pass stops for every bundle (a refused identity, a state that cannot be written): what it
    /// did until then goes with the error, so that `sync --once` still reports it.
    func interrupted(_ report: inout SyncReport, by error: any Error, started: ContinuousClock.Instant) -> PassInterrupted {
        report.stoppedEarly = true
        report.interruption = Self.describe(error)
        report.sort()
        report.duration = ContinuousClock.now - started
        return PassInterrupted(cause: error, report: report)
    }

    static func bodies(of desired: DesiredState) -> [BundleID: ReplacementBody] {
        Dictionary(desired.evaluated.compactMap { bundle in bundle.body.map { (bundle.id, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Applies creates and updates with at most `options.concurrency` in flight. A write's slot is
    /// free once its answer is written to the state; the outcome counts (report, progress) once it
    /// is on disk, and one flush covers the outcomes that came back meanwhile (group commit).
    func apply(
        _ writes: [Decision], bodies: consuming [BundleID: ReplacementBody], blobs: [BundleID: String?], commit: String, state: SyncState,
        reconciler: Reconciler, expected: [BundleID: SavedPlan.Entry]? = nil, ahead: ListingAhead? = nil, recorder: StateRecorder,
        report: inout SyncReport
    ) async throws -> Bool {
        let total = writes.count
        let listed = try await currentRemotes(for: writes, reconciler: reconciler, state: state, ahead: ahead)
        let slots = writeSlots
        return try await withThrowingTaskGroup(of: WriteEvent.self) { group in
            var completed = 0
            var pending = writes[...]
            var stopped = false
            var unflushed: [Outcome] = []
            var unflushedSince = ContinuousClock.now
            var flushing = false
            func startNext() {
                if !pending.isEmpty && options.shouldStop() { stopped = true }
                // Taken out: the write's task holds the body until its outcome is written, and no longer.
                guard !stopped, let decision = pending.popFirst(), let body = bodies.removeValue(forKey: decision.bundle) else { return }
                let record = state[decision.renamedFrom ?? decision.bundle]
                let blob = blobs[decision.bundle] ?? nil
                group.addTask {
                    .answered(try await self.apply(decision, body: body, record: record, specBlob: blob, commit: commit, listed: listed,
                                                   reconciler: reconciler, expected: expected, recorder: recorder, total: total))
                }
            }
            func count(_ outcome: Outcome) {
                completed += 1
                report.add(outcome.decision, outcome.result)
                progress(SyncProgress(bundle: outcome.decision.bundle, step: outcome.result.isFailure ? .failed : .done,
                                      completed: completed, total: total))
            }
            // One flush at a time, for every outcome written before it: once the slots have turned
            // over, once the oldest has waited a flush window, or at once when nothing is left to send.
            func flushIfDue() {
                guard !flushing, let last = unflushed.last?.written else { return }
                let draining = pending.isEmpty || stopped
                guard draining || unflushed.count >= slots || ContinuousClock.now - unflushedSince >= Self.flushWindow else { return }
                let batch = unflushed
                unflushed = []
                flushing = true
                group.addTask {
                    try await recorder.flushed(last)
                    return .flushed(batch)
                }
            }
            for _ in 0..<slots { startNext() }
            while let event = try await group.next() {
                switch event {
                case .answered(let outcome):
                    if outcome.written != nil {
                        if unflushed.isEmpty { unflushedSince = .now }
                        unflushed.append(outcome)
                    } else {
                        count(outcome)
                    }
                    startNext()
                case .flushed(let batch):
                    flushing = false
                    batch.forEach(count)
                }
                flushIfDue()
            }
            if stopped {
                // Each write left behind is in the report by name: a user sees what the next pass owes.
                for decision in pending { report.add(decision, .notStarted) }
                report.stopReason = options.stopReason()
            }
            return stopped
        }
    }

    /// Requests in flight at once: the configured concurrency, within what the target allows.
    var writeSlots: Int { max(1, min(options.concurrency, target.ratePolicy.maxConcurrency)) }

    /// What reads are priced at against a listing: the write slots, or fewer when the target's
    /// limiter starts with fewer in flight (`RatePolicy.pricedConcurrency`).
    var readSlots: Int { max(1, min(writeSlots, target.ratePolicy.pricedConcurrency ?? writeSlots)) }

    /// How long an outcome waits at most for others to share its flush while writes go on.
    static let flushWindow = Duration.milliseconds(20)

    /// The target's resources, read once for the lookups of many decisions, as Terraform refreshes
    /// once before it applies; `.perItem` when each looks on its own. Which costs less is the
    /// reconciler's call (`readsListing`).
    ///
    /// A listing the server refuses for the client stops the pass, as any refused identity does. One
    /// that cannot be read (too large, not JSON) leaves each lookup to its own request. One that
    /// failed after all its retries (the service down) fails the lookups with its reason, rather than
    /// sending each of them into the same outage. `ahead`, the listing read during the evaluation, is
    /// used when the lookups call for a listing, and failing, fails as a listing read now would.
    func currentRemotes(for decisions: [Decision], reconciler: Reconciler, state: SyncState?, ahead: ListingAhead? = nil) async throws -> RemoteReading {
        let lookups = decisions.lazy.filter { reconciler.lookup(for: $0) != nil }.map { $0.renamedFrom ?? $0.bundle }
        let recorded = state?.bundles.count ?? 0
        guard reconciler.readsListing(lookups: lookups.count, recorded: recorded, slots: readSlots, rate: target.ratePolicy) else {
            return .perItem
        }
        do {
            let specs = if let ahead { try ahead.listing.get() } else { try await target.list(bundles: Array(lookups)) }
            return specs.map { .listed(RemoteListing($0)) } ?? .perItem
        } catch let error as AuthenticationError {
            throw error
        } catch let error as RequestError where Self.refusesIdentity(error) {
            throw AuthenticationError(message: error.description, help: Self.authenticationHelp(layout.resource))
        } catch let error as RequestError where error.leavesLookupsToThemselves {
            logger.warning("could not read the target's listing; looking each one up on its own", metadata: ["error": "\(Self.describe(error))"])
            return .perItem
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.error("could not list the target's resources", metadata: ["error": "\(Self.describe(error))"])
            return .failed(SyncFailure("could not read the target's listing: \(Self.describe(error))"))
        }
    }

    /// What the remote says for `lookup`: from the listing when there is one, else one request.
    func fact(_ lookup: RemoteLookup, bundle: BundleID, listed: RemoteReading) async throws -> RemoteFact {
        switch (lookup, listed) {
        case (_, .failed(let error)):
            throw error
        case (.name(let name), .listed(let listing)):
            return .named(listing.byName[name] ?? [])
        case (.id(let id), .listed(let listing)):
            return .current(listing.byID[id])
        case (.name(let name), .perItem):
            return .named(try await target.find(name: name, bundle: bundle))
        case (.id(let id), .perItem):
            return .current(try await target.read(id: id, bundle: bundle))
        }
    }

    struct Outcome: Sendable {
        let decision: Decision
        let result: SyncReport.Result
        /// Its record, when written but not yet flushed: it counts once that is on disk.
        var written: StateRecorder.Written?
    }

    /// What a task of the write pipeline comes back with: a write's answer, or a flush of outcomes.
    enum WriteEvent: Sendable {
        case answered(Outcome)
        case flushed([Outcome])
    }

    func apply(
        _ planned: Decision, body: ReplacementBody, record: BundleRecord?, specBlob: String?, commit: String,
        listed: RemoteReading, reconciler: Reconciler, expected: [BundleID: SavedPlan.Entry]? = nil, recorder: StateRecorder, total: Int
    ) async throws -> Outcome {
        var decision = planned
        let metadata: Logger.Metadata = ["bundle": "\(planned.bundle)"]
        do {
            var known: RemoteSpec?
            if let lookup = reconciler.lookup(for: planned) {
                let fact = try await fact(lookup, bundle: planned.renamedFrom ?? planned.bundle, listed: listed)
                decision = reconciler.resolve(planned, record: record, fact: fact, body: body)
                known = Self.remote(decision.remoteID, in: fact)
            }
            // A saved plan's write goes out only as it was planned: the remote may move between the
            // check of the whole plan and this write.
            if let expected {
                let moved = expected[decision.bundle].map { reconciler.movements(of: $0, to: SavedPlan.Entry(decision)) }
                    ?? ["bundle \(decision.bundle): not in the plan, now \(decision.kind.rawValue)"]
                if !moved.isEmpty { throw SyncFailure("moved since the saved plan was checked, not sent: " + moved.joined(separator: "; ")) }
            }
            progress(SyncProgress(bundle: decision.bundle, step: decision.kind == .create ? .creating : .updating, completed: 0, total: total))
            let remote: RemoteSpec
            let result: SyncReport.Result
            switch decision.kind {
            case .create:
                (decision, remote, result) = try await create(decision, body: body, record: record, reconciler: reconciler)
            case .adopt:
                guard let id = decision.remoteID else { preconditionFailure("an adoption always has a remote id") }
                (remote, result) = (try await target.replace(id: id, with: body), .adopted)
            case .update:
                guard let id = decision.remoteID else { preconditionFailure("an update always has a remote id") }
                guard let replaced = try await replaceExisting(id: id, body: body) else {
                    decision = decision.with(.missing, reason: Reconciler.deletedOutsideGit(layout.resource, id: id))
                    return try await refuse(decision, kind: .missing, body: body, recorder: recorder)
                }
                (remote, result) = (replaced, .updated)
            case .record:
                guard let known else { preconditionFailure("a recorded decision always comes from a remote it saw") }
                (remote, result) = (known, .recorded)
                logger.notice("the remote already holds git's body: recorded without a write",
                              metadata: metadata.merging(["id": "\(known.id)"]) { $1 })
            case .conflict: return try await refuse(decision, kind: .conflict, body: body, recorder: recorder)
            case .missing: return try await refuse(decision, kind: .missing, body: body, recorder: recorder)
            case .ambiguous: return try await refuse(decision, kind: .ambiguous, body: body, recorder: recorder)
            default: preconditionFailure("\(decision.kind) is not a write")
            }
            let written = try await recorder.recordedUnflushed(
                bundle: decision.bundle, renamedFrom: decision.renamedFrom, remote: remote, bodyHash: body.hash,
                specBlob: specBlob, commit: commit)
            logger.info("synced bundle", metadata: metadata.merging(["id": "\(remote.id)", "result": "\(result.rawValue)"]) { $1 })
            return Outcome(decision: decision.with(decision.kind, remoteID: remote.id), result: result, written: written)
        } catch let error as StateError {
            // The state cannot be written: stop the pass rather than do work that is not recorded.
            throw error
        } catch let error as AuthenticationError {
            throw error
        } catch let error as RequestError where Self.refusesIdentity(error) {
            // Refused identity (after a token renewal): every other bundle would fail the same way.
            throw AuthenticationError(message: error.description, help: Self.authenticationHelp(layout.resource))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let reason = Self.describe(error)
            logger.error("bundle failed", metadata: metadata.merging(["error": "\(reason)"]) { $1 })
            try await recorder.failed(bundle: decision.bundle, renamedFrom: decision.renamedFrom, name: body.name,
                                      kind: .failed, error: reason, bodyHash: body.hash)
            return Outcome(decision: decision.with(decision.kind, reason: reason), result: .failed)
        }
    }

    /// A write the reconciler refused: recorded as failing with its reason, retried on later passes.
    func refuse(_ decision: Decision, kind: RecordFailure, body: ReplacementBody, recorder: StateRecorder) async throws -> Outcome {
        let reason = decision.reason ?? kind.rawValue
        logger.error("bundle refused", metadata: ["bundle": "\(decision.bundle)", "decision": "\(decision.kind.rawValue)", "error": "\(reason)"])
        try await recorder.failed(bundle: decision.bundle, renamedFrom: decision.renamedFrom, name: body.name,
                                  kind: kind, error: reason, bodyHash: body.hash)
        return Outcome(decision: decision, result: .refused)
    }

    /// POST, after the lookup by name the reconciler made: a spec created by a run whose answer (or
    /// record) was lost is adopted, never created twice. After a lost answer the name is looked up
    /// afresh and decided again.
    func create(_ decision: Decision, body: ReplacementBody, record: BundleRecord?, reconciler: Reconciler) async throws
        -> (Decision, RemoteSpec, SyncReport.Result)
    {
        guard let name = body.name else { throw SyncFailure("the spec has no name, so it cannot be found again after a lost answer") }
        var random = SystemRandomNumberGenerator()
        var decision = decision
        for attempt in 1...max(1, options.createAttempts) {
            if attempt > 1 {
                let fact = RemoteFact.named(try await target.find(name: name, bundle: body.bundle))
                decision = reconciler.resolve(decision.with(.create), record: record, fact: fact, body: body)
                switch decision.kind {
                case .record:
                    guard let remote = Self.remote(decision.remoteID, in: fact) else { break }
                    return (decision, remote, .recorded)
                case .adopt:
                    guard let id = decision.remoteID else { break }
                    return (decision, try await target.replace(id: id, with: body), .adopted)
                case .ambiguous:
                    throw SyncFailure(decision.reason ?? "several remote resources have the name '\(name)'")
                default:
                    break
                }
            }
            do {
                return (decision, try await target.create(body), .created)
            } catch let error as RequestError {
                guard case .outcomeUnknown = error, attempt < options.createAttempts else { throw error }
                let delay = options.retry.backoff(attempt: attempt, using: &random)
                logger.warning("create answer lost; looking the spec up by name before trying again",
                               metadata: ["name": "\(name)", "attempt": "\(attempt)", "delay": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
        throw SyncFailure("could not create '\(name)' after \(options.createAttempts) attempts")
    }

    static func remote(_ id: String?, in fact: RemoteFact) -> RemoteSpec? {
        guard let id else { return nil }
        switch fact {
        case .named(let found): return found.first { $0.id == id }
        case .current(let remote): return remote?.id == id ? remote : nil
        }
    }

    func replaceExisting(id: String, body: ReplacementBody) async throws -> RemoteSpec? {
        do {
            return try await target.replace(id: id, with: body)
        } catch let error as RequestError where error.status == 404 {
            return nil
        }
    }

    /// A 401, or a 403 from the gateway, refuses the client itself. A 403 in the platform's own error
    /// shape refuses this one resource (a spec of another org, a permission on it): only its bundle
    /// fails, and the others go on.
    static func refusesIdentity(_ error: RequestError) -> Bool {
        guard let status = error.status, status == 401 || status == 403 else { return false }
        if status == 403, case .api(let answer) = error, answer.shape == .platform { return false }
        return true
    }

    static func authenticationHelp(_ resource: ResourceKind) -> String {
        switch resource {
        case .connectionSpec: "check clientId, orgId and the client's product profile for this sandbox"
        case .flxpointConnection: "check flxpoint.token: it must be an Account-level API token"
        case .versoriConnection: "check versori.apiKey and versori.organisation"
        }
    }

    // MARK: - After the writes

    /// Adds every managed spec that is not yet listed to its flow spec, each flow spec in one update:
    /// a failure is reported once per flow spec and retried on the next pass without touching the specs.
    /// What the flow spec registration needs to know of a pass's `DesiredState`, without its bodies.
    struct Registering: Sendable {
        let detection: DesiredState.Detection
        /// Every bundle folder at the commit.
        let bundles: SortedBundleSet
        let evaluated: [BundleID]
        /// The evaluated bundles whose specs are Streaming SDK ones.
        let streaming: Set<BundleID>

        init(_ desired: DesiredState, streaming: Set<BundleID>) {
            self.detection = desired.detection
            self.bundles = desired.bundles
            self.evaluated = desired.evaluated.map(\.id)
            self.streaming = streaming
        }
    }

    func registerInFlowSpecs(_ desired: Registering, recorder: StateRecorder, report: inout SyncReport) async throws {
        guard let registrar = target as? any FlowSpecRegistering, !options.flowSpecs.isEmpty else { return }
        let mapping = options.flowSpecs.fingerprint
        var pending: [String: [(bundle: BundleID, id: String)]] = [:]
        var waiting: Set<String> = []
        do {
            // This copy of the state goes at the end of the block, before the registrations write
            // records: held across them, it made the first write copy every record (35 MB of a
            // first sync of 50,000, twice while the copy grew).
            let state = await recorder.state
            // The records that can be waiting: the pass's bundles and those the state says still wait;
            // every record after a full scan, a changed configuration or an older state.
            let keys: [String]
            if case .treeDiff = desired.detection, let registration = state.registration, registration.mapping == mapping {
                keys = Array(registration.waiting.union(desired.evaluated.lazy.map(\.source)))
            } else {
                keys = state.bundles.keys
            }
            let streaming = desired.streaming
            for key in keys {
                let bundle = BundleID(key)
                guard let record = state.bundles[key], let id = record.id, let flowSpec = options.flowSpecs.flowSpec(for: bundle, streaming: streaming.contains(bundle)),
                      record.flowSpec != flowSpec, desired.bundles.contains(bundle) else { continue }
                // Left out by `--bundle`: still waiting for a pass that includes it.
                if let selection = options.selection, !selection.contains(bundle) { waiting.insert(key); continue }
                // A spec whose last write failed is registered once it is written.
                guard record.lastError == nil else { waiting.insert(key); continue }
                pending[flowSpec, default: []].append((bundle, id))
            }
        }
        for (flowSpec, specs) in pending.sorted(by: { $0.key < $1.key }) {
            let specs = specs.sorted { $0.bundle < $1.bundle }
            let added: Set<String>
            do {
                added = Set(try await registrar.register(specIDs: specs.map(\.id), inFlowSpec: flowSpec))
            } catch let error as StateError {
                throw error
            } catch {
                let reason = "flow spec registration in \(flowSpec) failed for \(specs.count) spec\(specs.count == 1 ? "" : "s"): \(Self.describe(error)); tried again on the next pass"
                logger.error("flow spec registration failed", metadata: ["flowSpec": "\(flowSpec)", "specs": "\(specs.count)", "error": "\(reason)"])
                report.registrationFailures.append(.init(flowSpec: flowSpec, bundles: specs.map(\.bundle), reason: reason))
                for spec in specs { waiting.insert(spec.bundle.source) }
                continue
            }
            // Both are recorded as registered; only those the update added are reported as such.
            try await recorder.registered(specs.map(\.bundle), in: flowSpec)
            report.registered += specs.filter { added.contains($0.id) }.map(\.bundle)
            report.alreadyListed += specs.filter { !added.contains($0.id) }.map(\.bundle)
        }
        await recorder.setRegistration(FlowSpecRegistration(mapping: mapping, waiting: waiting))
    }

    /// Applies the reconciler's prune decisions: delete where the API can, mark where it cannot.
    func prune(_ decisions: [Decision], recorder: StateRecorder, report: inout SyncReport) async throws {
        for decision in decisions {
            switch decision.pruneMode {
            case .delete?:
                guard let id = decision.remoteID, let deleter = target as? any SpecDeleting else { continue }
                do {
                    try await deleter.delete(id: id, bundle: decision.bundle)
                } catch let error as RequestError where error.status == 404 {
                    // Gone already: the record goes all the same.
                } catch {
                    report.add(decision.with(.prune, reason: "prune failed: \(Self.describe(error))"), .failed)
                    continue
                }
                try await recorder.forgotten([decision.bundle])
                report.add(decision, .pruned)
            case .mark?:
                try await recorder.markedOrphan(decision.bundle)
                report.add(decision, .marked)
            case nil:
                continue
            }
        }
    }

    /// An error as the report, the log and the state's `lastError` say it, known secrets hidden.
    static func describe(_ error: Error) -> String {
        let text = switch error {
        case let error as CustomStringConvertible: error.description
        default: "\(error)"
        }
        return SecretRegistry.shared.redact(text)
    }
}

/// A bundle-level failure phrased for the user.
struct SyncFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
