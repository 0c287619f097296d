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

/// One pass: what git wants at a commit, against what the state records, applied to a target and
/// recorded after every success. Safe to run again at any time, after any failure: creates look
/// the spec up by name first, so a crash between a POST and its record never duplicates a spec.
public struct SyncEngine: Sendable {
    public struct Options: Sendable {
        /// Requests in flight at once.
        public var concurrency = 4
        /// Rounds of "look up by name, then POST" before a create is given up for this pass.
        public var createAttempts = 5
        public var retry = RetryPolicy()
        /// When set, a bundle that failed waits this backoff before the same body is sent again.
        public var failureBackoff: FailureBackoff?
        /// Asked before each write starts: true stops the pass after the writes in flight.
        public var shouldStop: @Sendable () -> Bool = { false }
        /// Patches and secrets applied to every body, and their fingerprint.
        public var customization = BodyCustomization.none
        public var inputsFingerprint: String?
        /// Overwrite specs changed outside git since specsync wrote them (`--force`, `onConflict: overwrite`).
        public var overwriteConflicts = false
        /// Also send quarantined bundles (`--force`).
        public var includeQuarantined = false
        /// The flow spec each bundle's spec must be listed in; empty: none.
        public var flowSpecs = FlowSpecAssignment()
        /// Remove orphans remotely (or mark them where the API cannot), at most `pruneLimit` a pass.
        public var prune = false
        public var pruneLimit = 5
        /// Compare every bundle with its record instead of following the tree diff (`--full-scan`).
        public var fullScan = false

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

    /// Plans `commit` against the recorder's state and applies the plan.
    public func run(commit: ObjectID, recorder: StateRecorder) async throws -> SyncReport {
        let started = ContinuousClock.now
        let state = await recorder.state
        let resolver = DesiredStateResolver(repository: repository, layout: layout, customization: options.customization)
        let desired = try await resolver.resolve(
            commit: commit, state: state, inputsFingerprint: options.inputsFingerprint, fullScan: options.fullScan)
        let plan = Planner().plan(
            commit: commit.hex, evaluated: desired.evaluated, unchanged: desired.unchanged,
            renames: desired.renames, state: state, fieldDifferences: false, listUnchanged: false)
        let bodies = Dictionary(uniqueKeysWithValues: desired.evaluated.compactMap { bundle in bundle.body.map { (bundle.id, (bundle, $0)) } })

        var report = SyncReport()
        report.commit = commit.hex
        report.detection = desired.detection
        var writes: [PlannedChange] = []
        let now = Date()
        for change in plan.changes where change.action == .create || change.action == .update {
            let record = state[change.renamedFrom ?? change.bundle]
            if let record, record.quarantined == true, record.failedBodyHash == change.desiredHash, !options.includeQuarantined {
                report.quarantined.append(change.bundle)
                continue
            }
            if let backoff = options.failureBackoff, let record,
               record.failedBodyHash == change.desiredHash, let next = backoff.nextAttempt(for: record), next > now {
                report.deferred.append(change.bundle)
                report.nextRetry = min(report.nextRetry ?? next, next)
                continue
            }
            writes.append(change)
        }
        report.unchanged = plan.unlistedUnchanged
        for change in plan.changes {
            switch change.action {
            case .unchanged: report.unchanged += 1
            case .orphan: report.orphaned.append(change.bundle)
            case .invalid:
                let errors = change.diagnostics.filter { $0.severity == .error }
                let reason = "invalid: " + errors.map(\.description).joined(separator: "; ")
                report.invalid.append(.init(bundle: change.bundle, name: change.name, reason: reason))
                // Pending, so the bundle is looked at again on every pass until it is fixed.
                let recorded = state[change.bundle]?.lastError
                if recorded != reason {
                    try await recorder.recordFailure(bundle: change.bundle, renamedFrom: change.renamedFrom, name: change.name, error: reason)
                }
            case .create, .update: break
            }
        }

        let (outcomes, stoppedEarly) = try await apply(writes, bodies: bodies, commit: commit.hex, state: state, recorder: recorder)
        report.stoppedEarly = stoppedEarly
        for outcome in outcomes {
            switch outcome.result {
            case .created: report.created.append(outcome.bundle)
            case .adopted: report.adopted.append(outcome.bundle)
            case .updated: report.updated.append(outcome.bundle)
            case .failed(let reason): report.failed.append(.init(bundle: outcome.bundle, name: outcome.name, reason: reason))
            }
        }
        if !stoppedEarly {
            report.registered = try await registerInFlowSpecs(desired: desired, recorder: recorder, report: &report)
            report.pruned = try await prune(report.orphaned, desired: desired.bundles, recorder: recorder, report: &report)
        }
        // Every bundle that is not settled now has a pending record, so moving the diff base on is
        // safe — unless writes were never started, whose bundles have no record of the change.
        if !stoppedEarly { try await recorder.finishPass(commit: commit.hex, inputsFingerprint: options.inputsFingerprint) }
        report.created.sort()
        report.adopted.sort()
        report.updated.sort()
        report.failed.sort { $0.bundle < $1.bundle }
        report.duration = ContinuousClock.now - started
        return report
    }

    struct Outcome: Sendable {
        enum Result: Sendable { case created, adopted, updated, failed(String) }
        let bundle: BundleID
        let name: String?
        let result: Result
    }

    /// Applies creates and updates with at most `options.concurrency` in flight.
    func apply(
        _ changes: [PlannedChange], bodies: [BundleID: (EvaluatedBundle, ReplacementBody)], commit: String, state: SyncState,
        recorder: StateRecorder
    ) async throws -> ([Outcome], stoppedEarly: Bool) {
        let total = changes.count
        let listed = await currentRemotes(for: changes, state: state)
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            var outcomes: [Outcome] = []
            var pending = changes[...]
            var stopped = false
            func startNext() {
                if !pending.isEmpty && options.shouldStop() { stopped = true }
                guard !stopped, let change = pending.popFirst(), let (bundle, body) = bodies[change.bundle] else { return }
                let recordedRevision = state[change.renamedFrom ?? change.bundle]?.recordedRevision
                group.addTask {
                    try await self.apply(change, bundle: bundle, body: body, commit: commit, recordedRevision: recordedRevision,
                                         listed: listed, recorder: recorder, total: total)
                }
            }
            for _ in 0..<max(1, min(options.concurrency, target.ratePolicy.maxConcurrency)) { startNext() }
            while let outcome = try await group.next() {
                outcomes.append(outcome)
                progress(SyncProgress(bundle: outcome.bundle, step: { if case .failed = outcome.result { .failed } else { .done } }(),
                                      completed: outcomes.count, total: total))
                startNext()
            }
            return (outcomes, stopped)
        }
    }

    /// Above this many lookups (conflict checks of updates, name lookups of creates), one listing of
    /// the target (where the API has one) replaces a GET before each write, as Terraform refreshes
    /// once before it applies.
    static let listingThreshold = 10

    /// The target's resources, read once for the lookups of many writes; nil when each write looks
    /// on its own.
    func currentRemotes(for changes: [PlannedChange], state: SyncState) async -> RemoteListing? {
        var lookups: [BundleID] = []
        for change in changes {
            switch change.action {
            case .update where !options.overwriteConflicts && state[change.renamedFrom ?? change.bundle]?.recordedRevision != nil:
                lookups.append(change.renamedFrom ?? change.bundle)
            case .create:
                lookups.append(change.bundle)
            default:
                continue
            }
        }
        guard lookups.count >= Self.listingThreshold else { return nil }
        do {
            return try await target.list(bundles: lookups).map(RemoteListing.init)
        } catch {
            logger.warning("could not list the target's resources; looking each one up on its own", metadata: ["error": "\(error)"])
            return nil
        }
    }

    func apply(
        _ change: PlannedChange, bundle: EvaluatedBundle, body: ReplacementBody, commit: String, recordedRevision: String?,
        listed: RemoteListing?, recorder: StateRecorder, total: Int
    ) async throws -> Outcome {
        let metadata: Logger.Metadata = ["bundle": "\(change.bundle)", "action": "\(change.action.rawValue)"]
        do {
            let remote: RemoteSpec
            let result: Outcome.Result
            switch change.action {
            case .update:
                guard let id = change.remoteID else { preconditionFailure("an update always has a remote id") }
                progress(SyncProgress(bundle: change.bundle, step: .updating, completed: 0, total: total))
                if !options.overwriteConflicts,
                   let current = try await checkConflict(
                       id: id, bundle: change.renamedFrom ?? change.bundle, recordedRevision: recordedRevision, body: body, listed: listed) {
                    // Already there: recorded without sending it again.
                    (remote, result) = (current, .updated)
                } else {
                    guard let replaced = try await replaceExisting(id: id, body: body) else { throw deletedOutsideGit(id) }
                    (remote, result) = (replaced, .updated)
                }
            default:
                progress(SyncProgress(bundle: change.bundle, step: .creating, completed: 0, total: total))
                (remote, result) = try await createOrAdopt(body: body, listed: listed)
            }
            try await recorder.recordSuccess(
                bundle: change.bundle, renamedFrom: change.renamedFrom, remote: remote, bodyHash: body.hash,
                specBlob: bundle.blobIDs[.spec], commit: commit)
            logger.info("synced bundle", metadata: metadata.merging(["id": "\(remote.id)", "result": "\(result)"]) { $1 })
            return Outcome(bundle: change.bundle, name: body.name, result: result)
        } catch let error as StateError {
            // The state cannot be written: stop the pass rather than do work that is not recorded.
            throw error
        } catch let error as AuthenticationError {
            throw error
        } catch let error as RequestError where error.status == 401 || error.status == 403 {
            // Refused identity (after a token renewal): every other bundle would fail the same way.
            throw AuthenticationError(message: error.description, help: Self.authenticationHelp(layout.resource))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let reason = Self.describe(error)
            logger.error("bundle failed", metadata: metadata.merging(["error": "\(reason)"]) { $1 })
            try await recorder.recordFailure(
                bundle: change.bundle, renamedFrom: change.renamedFrom, name: body.name, error: reason, bodyHash: body.hash)
            return Outcome(bundle: change.bundle, name: body.name, result: .failed(reason))
        }
    }

    /// Never a silent overwrite: a resource whose remote revision (`updatedAt`, or Flxpoint's content
    /// hash) moved since specsync wrote it was changed outside git — unless it already holds exactly
    /// `body`, which is specsync's own unrecorded write: then the remote is returned, nothing to send.
    /// `listed` is the target as read at the start of the pass, when many updates are checked.
    func checkConflict(
        id: String, bundle: BundleID, recordedRevision: String?, body: ReplacementBody, listed: RemoteListing? = nil
    ) async throws -> RemoteSpec? {
        guard let recordedRevision else { return nil }
        let current = if let listed { listed.byID[id] } else { try await target.read(id: id, bundle: bundle) }
        guard let remote = current else { throw deletedOutsideGit(id) }
        guard let remoteRevision = remote.revision, remoteRevision != recordedRevision else { return nil }
        if UnrecordedWrite.matches(remote, body: body, resource: layout.resource) {
            logger.notice("the remote already holds git's body: a write whose record was lost", metadata: [
                "bundle": "\(bundle)", "id": "\(id)", "recordedRevision": "\(recordedRevision)", "remoteRevision": "\(remoteRevision)",
            ])
            return remote
        }
        throw SyncFailure("conflict: the remote \(layout.resource.noun) \(id) was changed outside git (\(Self.describe(revision: remoteRevision)), specsync last wrote it at \(Self.describe(revision: recordedRevision))); not overwritten: re-run with --force or set onConflict: overwrite to replace it with git's version")
    }

    func deletedOutsideGit(_ id: String) -> SyncFailure {
        SyncFailure("the remote \(layout.resource.noun) \(id) was deleted outside git; specsync does not re-create it on its own: remove the bundle's entry from the state file to have the next pass create it again")
    }

    /// "updatedAt 2026-…Z (1633389108018)" for epoch milliseconds, "updatedAt …" for a date-time,
    /// "content sha256:1a2b3c4d…" for a hash.
    static func describe(revision: String) -> String {
        if let milliseconds = Int64(revision) {
            return "updatedAt " + Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601) + " (\(milliseconds))"
        }
        if revision.hasPrefix("sha256:") { return "content " + revision.prefix(19) + "…" }
        return "updatedAt " + revision
    }

    static func authenticationHelp(_ resource: ResourceKind) -> String {
        switch resource {
        case .connectionSpec: "check clientId, orgId and the client's product profile for this sandbox"
        case .flxpointConnection: "check flxpoint.token: it must be an Account-level API token"
        case .versoriConnection: "check versori.apiKey and versori.organisation"
        }
    }

    /// Adds every managed spec that is not yet listed to its flow spec, each on its own: a failure is
    /// recorded and retried on the next pass without touching the spec.
    func registerInFlowSpecs(desired: DesiredState, recorder: StateRecorder, report: inout SyncReport) async throws -> [BundleID] {
        guard let registrar = target as? any FlowSpecRegistering, !options.flowSpecs.isEmpty else { return [] }
        let mapping = options.flowSpecs.fingerprint
        let state = await recorder.state
        // The records that can be waiting: the pass's bundles and those the state says still wait;
        // every record after a full scan, a changed configuration or an older state.
        let keys: [String]
        if case .treeDiff = desired.detection, let registration = state.registration, registration.mapping == mapping {
            keys = Array(registration.waiting.union(desired.evaluated.lazy.map(\.id.source)))
        } else {
            keys = state.bundles.keys
        }
        // One update of each flow spec for all of its new specs: a first sync of thousands of
        // bundles rewrites the flow spec once, not once per spec.
        var pending: [String: [(bundle: BundleID, id: String, name: String?)]] = [:]
        var waiting: Set<String> = []
        for key in keys {
            let bundle = BundleID(key)
            guard let record = state.bundles[key], let id = record.id, let flowSpec = options.flowSpecs.flowSpec(for: bundle),
                  record.flowSpec != flowSpec, desired.bundles.contains(bundle) else { continue }
            // A spec whose last write failed is registered once it is written.
            guard record.lastError == nil else { waiting.insert(key); continue }
            pending[flowSpec, default: []].append((bundle, id, record.name))
        }
        // Sorted only now: usually none or a few of thousands of records are pending.
        for flowSpec in pending.keys { pending[flowSpec]?.sort { $0.bundle < $1.bundle } }
        var registered: [BundleID] = []
        for (flowSpec, specs) in pending.sorted(by: { $0.key < $1.key }) {
            do {
                _ = try await registrar.register(specIDs: specs.map(\.id), inFlowSpec: flowSpec)
            } catch let error as StateError {
                throw error
            } catch {
                let reason = "flow spec registration in \(flowSpec): \(Self.describe(error))"
                logger.error("flow spec registration failed", metadata: ["flowSpec": "\(flowSpec)", "specs": "\(specs.count)", "error": "\(reason)"])
                for spec in specs {
                    report.failed.append(.init(bundle: spec.bundle, name: spec.name, reason: reason))
                    waiting.insert(spec.bundle.source)
                }
                continue
            }
            for spec in specs {
                try await recorder.update(spec.bundle) { $0.flowSpec = flowSpec }
                registered.append(spec.bundle)
            }
        }
        await recorder.setRegistration(FlowSpecRegistration(mapping: mapping, waiting: waiting))
        return registered.sorted()
    }

    /// Prune: only ids the state holds, at most `pruneLimit` a pass, never when git holds no bundle
    /// at all (an empty checkout must not empty the target). Where the API has no DELETE the record
    /// is marked instead and the remote spec is left alone.
    func prune(_ orphans: [BundleID], desired: Set<BundleID>, recorder: StateRecorder, report: inout SyncReport) async throws -> [BundleID] {
        guard options.prune, !orphans.isEmpty else { return [] }
        guard !desired.isEmpty else {
            report.pruneRefused = "git holds no bundle at all; refusing to prune \(orphans.count) spec(s): check the repository, ref and bundles.root"
            logger.error("prune refused: the desired set is empty", metadata: ["orphans": "\(orphans.count)"])
            return []
        }
        var pruned: [BundleID] = []
        let state = await recorder.state
        for bundle in orphans.sorted() {
            guard let record = state[bundle], record.orphanedAt == nil else { continue }
            guard pruned.count < options.pruneLimit else {
                report.pruneRefused = "prune limit of \(options.pruneLimit) reached; the rest is pruned on the next passes"
                break
            }
            if let id = record.id, let deleter = target as? any SpecDeleting {
                try await deleter.delete(id: id, bundle: bundle)
                try await recorder.remove(bundle)
            } else {
                try await recorder.update(bundle) { $0.orphanedAt = Date() }
            }
            pruned.append(bundle)
        }
        return pruned
    }

    func replaceExisting(id: String, body: ReplacementBody) async throws -> RemoteSpec? {
        do {
            return try await target.replace(id: id, with: body)
        } catch let error as RequestError where error.status == 404 {
            return nil
        }
    }

    /// Look by name first: a spec created by a run whose answer (or record) was lost is adopted,
    /// never created twice.
    /// `listed` answers the first lookup when many creates share one listing; after a lost answer
    /// the name is always looked up afresh.
    func createOrAdopt(body: ReplacementBody, listed: RemoteListing? = nil) async throws -> (RemoteSpec, Outcome.Result) {
        guard let name = body.name else { throw SyncFailure("the spec has no name, so it cannot be found again after a lost answer") }
        var random = SystemRandomNumberGenerator()
        for attempt in 1...max(1, options.createAttempts) {
            let existing = if attempt == 1, let listed {
                listed.byName[name] ?? []
            } else {
                try await target.find(name: name, bundle: body.bundle)
            }
            if existing.count > 1 {
                throw SyncFailure("\(existing.count) remote \(layout.resource.noun)s are named '\(name)' (\(existing.map(\.id).joined(separator: ", "))); specsync cannot tell which one this bundle is: delete the extra ones")
            }
            if let match = existing.first {
                return (try await target.replace(id: match.id, with: body), .adopted)
            }
            do {
                return (try await target.create(body), .created)
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
