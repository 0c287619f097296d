#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceLifecycle
import UnixSignals
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine
import SpecSyncGit
import SpecSyncHTTPEndpoints
import SpecSyncNotify
import SpecSyncPostgres
import SpecSyncSource
import SpecSyncSystemd
import SpecSyncTargets

/// `specsync sync` as a service: watches the repository (a local ref, or a remote fetched on an
/// interval or on a webhook), runs one pass at a time for any burst of triggers, retries failing
/// bundles with a backoff of their own, checks for drift, and stops after the writes in flight on
/// SIGTERM. Triggers are level-based: a missed one costs latency, never correctness.
public final class SyncDaemon: Service, Sendable {
    /// What the daemon needs from the process: how to read the configuration (again, on SIGHUP),
    /// and the libraries' own options made from it (the mapping is the executable's): how to reach
    /// the target, how to run a pass, how to clone and fetch.
    public struct Environment: Sendable {
        public var loadConfiguration: @Sendable () throws -> Configuration
        public var targetName: String?
        public var variables: [String: String]
        public var makeTarget: @Sendable (Configuration, TargetSettings, @escaping @Sendable (RequestEvent) -> Void) throws -> any SyncTarget
        /// A pass's options, made for each pass (its deadline counts from then).
        public var makeOptions: @Sendable (Configuration, TargetSettings) throws -> SyncEngine.Options
        /// The mirror of a remote repository (nil for a local one); the closure ends a clone or fetch in flight.
        public var makeMirror: @Sendable (Configuration, _ shouldStop: @escaping @Sendable () -> Bool) throws -> RepositoryMirror?
        /// specsync's version, for what the state backend records of its writers.
        public var version = "unknown"

        public init(
            loadConfiguration: @escaping @Sendable () throws -> Configuration, targetName: String?, variables: [String: String],
            makeTarget: @escaping @Sendable (Configuration, TargetSettings, @escaping @Sendable (RequestEvent) -> Void) throws -> any SyncTarget,
            makeOptions: @escaping @Sendable (Configuration, TargetSettings) throws -> SyncEngine.Options,
            makeMirror: @escaping @Sendable (Configuration, _ shouldStop: @escaping @Sendable () -> Bool) throws -> RepositoryMirror?
        ) {
            self.loadConfiguration = loadConfiguration
            self.targetName = targetName
            self.variables = variables
            self.makeTarget = makeTarget
            self.makeOptions = makeOptions
            self.makeMirror = makeMirror
        }
    }

    public let triggers = TriggerQueue()
    public let metrics: SyncMetrics
    public let health: HealthState
    let environment: Environment
    let notifier: SystemdNotifier?
    let logger: Logger
    let stop = StopFlag()
    public let activity = PassActivity()
    /// What was already notified (drift, a failed pass), so that receivers hear each thing once.
    let notificationMemory = NotificationMemory()
    /// Whether this instance leads or stands by, and the channel to the leader.
    let leadership = Leadership()
    /// `verify.afterSync` batches, run one at a time off the passes' path.
    let verifications = AfterSyncVerifier()
    /// A pass running longer than this is taken as hung: the watchdog stops and systemd restarts us.
    public static let passLimit: Duration = .seconds(1800)

    public init(environment: Environment, metrics: SyncMetrics, health: HealthState, notifier: SystemdNotifier?, logger: Logger) {
        self.environment = environment
        self.metrics = metrics
        self.health = health
        self.notifier = notifier
        self.logger = logger
    }

    /// A verified webhook arrived: a trigger here, or for the leader when this instance stands by.
    public func webhookReceived(provider: String) async {
        logger.info("webhook received", metadata: ["provider": "\(provider)"])
        await trigger(.webhook)
    }

    /// Runs `trigger` here, or forwards it to the leader through the database while standing by.
    func trigger(_ trigger: Trigger) async {
        guard let channel = leadership.standbyChannel else {
            await triggers.enqueue(trigger)
            return
        }
        do {
            try await channel.send(trigger.rawValue)
            logger.info("trigger forwarded to the leader", metadata: ["trigger": "\(trigger.rawValue)"])
        } catch {
            logger.error("could not forward the trigger to the leader; its own watch catches up", metadata: [
                "trigger": "\(trigger.rawValue)", "error": "\(error)",
            ])
        }
    }

    public func run() async throws {
        let configuration = try environment.loadConfiguration()
        let channel = try StateBackends.triggerChannel(
            configuration, target: try configuration.target(named: environment.targetName),
            environment: environment.variables, specsyncVersion: environment.version)
        leadership.start(channel: channel)
        let stop = self.stop
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.watchSignals() }
                if let channel {
                    group.addTask {
                        await channel.listen { payload in
                            await self.forwarded(payload)
                        } failed: { error in
                            self.logger.error("cannot listen for triggers forwarded by standbys; retrying", metadata: ["error": "\(error)"])
                        }
                    }
                }
                defer { channel?.stop() }
                try await serve(channel: channel)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.notifier?.stopping()
            self.logger.notice("stopping after the writes in flight")
            stop.stop()
            channel?.stop()
            Task { await self.triggers.finish() }
        }
        logger.notice("specsync daemon stopped")
    }

    /// A trigger a standby forwarded: the leader runs it; a standby has nothing to run.
    func forwarded(_ payload: String) async {
        guard leadership.role == .leader, let trigger = Trigger(rawValue: payload), trigger == .webhook || trigger == .reload else { return }
        logger.info("trigger received from a standby", metadata: ["trigger": "\(payload)"])
        await triggers.enqueue(trigger)
    }

    /// Leads while this instance holds the state lock; with PostgreSQL, stands by while another one
    /// does, and again after losing the lock with its database session (fenced: it wrote nothing
    /// since), until the lock is free.
    func serve(channel: PostgresTriggerChannel?) async throws {
        var hasLed = false
        while !stop.isStopped {
            guard let session = try await acquire(channel: channel, hasLed: hasLed) else { break }
            let (last, lostLock) = await lead(session, takingOver: hasLed)
            last.recorder.close()
            hasLed = true
            guard lostLock else { break }
            guard channel != nil else {
                logger.critical("the state lock was lost; stopping so that a restart takes it again")
                throw StateLockError(path: last.stateLocation, message: "the state lock was lost",
                                     help: "specsync stopped writing and exits; systemd (Restart=on-failure) starts it again")
            }
            logger.error("the state lock was lost with its database session; stopped writing, standing by until it is free",
                         metadata: ["state": "\(last.stateLocation)"])
            await standBy()
            // Terminating a leader's session is how an operator moves the leadership: give the
            // standbys, which try every 200 ms, the first go at the lock.
            try? await Task.sleep(for: Self.steppedDownPause)
        }
    }

    /// How long a leader that lost its session waits before it competes for the lock again.
    static let steppedDownPause: Duration = .seconds(3)

    /// The session with the state lock taken; nil when stopped first. The file backend fails at once
    /// when another process holds its lock; PostgreSQL waits as a standby for as long as it takes.
    func acquire(channel: PostgresTriggerChannel?, hasLed: Bool) async throws -> DaemonSession? {
        let stop = self.stop
        var standing = false
        var unreachable = false
        while !stop.isStopped {
            do {
                // A first clone can take long, or hang on a silent server: SIGTERM must be able to end it too.
                return try await DaemonSession.open(
                    environment: environment, logger: logger, metrics: metrics,
                    // The first try is at once, so that a standby says so from its start.
                    lockTimeout: channel == nil || !standing ? .zero : Self.standbyLockWait, shouldStop: { stop.isStopped })
            } catch where stop.isStopped {
                break
            } catch let error as StateLockError where channel != nil {
                unreachable = false
                if !standing {
                    standing = true
                    await standBy()
                    logger.notice("standing by: another instance holds the state lock", metadata: ["holder": "\(error.message)"])
                }
            } catch let error as PostgresError where channel != nil && hasLed {
                // The database went away with the lock: keep trying rather than exit.
                if !unreachable {
                    unreachable = true
                    logger.error("cannot reach the state database; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        if !hasLed { logger.notice("specsync daemon stopped before it started") }
        return nil
    }

    /// Says everywhere that this instance no longer leads: triggers go to the leader from now on.
    func standBy() async {
        leadership.setRole(.standby)
        await health.setRole(.standby)
        metrics.setLeader(false)
        notifier?.ready(status: "standby: another instance holds the state lock")
    }

    /// How long one attempt of a standby waits for the lock (tried every 200 ms) before it opens a
    /// new session and the configuration is read again.
    static let standbyLockWait: Duration = .seconds(5)

    /// Runs passes until stopped or the lock is lost; returns the session it ended with (SIGHUP
    /// may have replaced it) and whether the lock was lost.
    func lead(_ opened: DaemonSession, takingOver: Bool) async -> (DaemonSession, lostLock: Bool) {
        var session = opened
        var lostLock = false
        leadership.setRole(.leader)
        await health.setRole(.leader)
        metrics.setLeader(true)
        notifier?.ready(status: "started; first pass pending")
        logger.notice(takingOver || leadership.hasStoodBy ? "leading: took the state lock; running a pass" : "specsync daemon started",
                      metadata: session.metadata)
        await triggers.enqueue(.startup)
        let watch = session.watchSettings
        let drift = session.configuration.daemon.driftPolicy == .ignore ? nil : session.configuration.daemon.driftInterval
        let recorder = session.recorder
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.watchRepository(watch) }
            if let drift {
                group.addTask { await self.tick(every: drift, trigger: .driftCheck) }
            }
            group.addTask { await self.watchLock(recorder) }
            while let batch = await triggers.next() {
                // Fenced: another instance may hold the lock now; nothing more is written from here.
                if await session.recorder.hasLostLock {
                    lostLock = true
                    break
                }
                if batch == [.lockLost] { continue }
                if batch.contains(.reload) {
                    session = await reload(session)
                }
                await pass(batch.subtracting([.lockLost]), session: session)
                await releaseMemory(session)
                if stop.isStopped { break }
                if await session.recorder.hasLostLock {
                    lostLock = true
                    break
                }
            }
            group.cancelAll()
        }
        return (session, lostLock)
    }

    /// Between passes the daemon keeps the state's records on disk (or as bytes, for a database) and
    /// no libgit2 caches, and hands freed pages back: idle, it holds what the next pass needs to
    /// start, not what the last one read.
    func releaseMemory(_ session: DaemonSession) async {
        await session.recorder.park()
        await session.repository.releaseCaches()
        HeapTrim.releaseFreeMemory()
    }

    /// While a pass reads its parked records again, the repository's thread reads the bundles roots
    /// it will compare: the ref's commit as it is now and the last synced one (at 100,000 bundles
    /// each takes about as long as the state). A fetch that moves the ref costs one of them again.
    func readRootsAhead(_ session: DaemonSession) async {
        GitCommitSource.preloadRoots(
            repository: session.repository, layout: session.target.layout(bundles: session.configuration.bundles),
            commit: try? await session.repository.resolveCommit(session.configuration.repository.ref),
            lastSynced: await session.recorder.lastSyncedCommit)
    }

    /// Wakes the loop once the lock is gone, so an idle leader steps down too.
    func watchLock(_ recorder: StateRecorder) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            if await recorder.hasLostLock {
                await triggers.enqueue(.lockLost)
                return
            }
        }
    }

    /// One pass for a batch of triggers. Never throws: a failed pass is logged, counted, and tried again later.
    func pass(_ batch: Set<Trigger>, session: DaemonSession) async {
        let started = ContinuousClock.now
        activity.begin()
        defer { activity.end() }
        // Nil until the parked records are read back: a pass that fails there has no state to report.
        var before: SyncState?
        var drift: DriftReport?
        do {
            if await session.recorder.isParked { await readRootsAhead(session) }
            try await session.recorder.unpark()
            before = await session.recorder.state
            if session.isRemote && (batch.contains(.webhook) || batch.contains(.fetchDue) || batch.contains(.startup)) {
                try await session.fetch(metrics: metrics, logger: logger)
            }
            if batch.contains(.driftCheck) {
                drift = try await checkDrift(session)
            }
            let commit = try await session.repository.resolveCommit(session.configuration.repository.ref)
            await health.setCommit(commit.hex)
            var options = try environment.makeOptions(session.configuration, session.target)
            options.policy.failureBackoff = FailureBackoff(base: session.configuration.daemon.retryBase, maximum: session.configuration.daemon.retryMax)
            let stop = self.stop
            let deadline = options.shouldStop
            options.shouldStop = { stop.isStopped || deadline() }
            let engine = SyncEngine(repository: session.repository, layout: session.target.layout(bundles: session.configuration.bundles),
                                    target: session.client, options: options, logger: logger)
            let report = try await engine.run(commit: commit, recorder: session.recorder)
            let result: PassResult = report.failed.isEmpty && report.invalid.isEmpty && report.quarantined.isEmpty ? .success : .partial
            metrics.recordPass(result: result, duration: ContinuousClock.now - started)
            await updateGauges(session, report: report)
            if result == .success { metrics.recordSuccess(at: Date()) }
            await health.markPassCompleted(success: true, at: Date())
            let summary = "synced \(commit.hex.prefix(12)): \(report.writes) written, \(report.unchanged) unchanged, \(report.failed.count + report.invalid.count) failing"
            notifier?.status(summary)
            logger.info("pass finished", metadata: [
                "commit": "\(commit.hex)", "triggers": "\(batch.map(\.rawValue).sorted())", "created": "\(report.created.count + report.adopted.count)",
                "updated": "\(report.updated.count)", "unchanged": "\(report.unchanged)", "failed": "\(report.failed.count)",
                "invalid": "\(report.invalid.count)", "deferred": "\(report.deferred.count)",
            ])
            await notify(session, PassOutcome(target: session.target.name, commit: commit.hex, report: report,
                                              before: before, after: await session.recorder.state, drift: drift))
            await verifyAfterSync(session, report: report, commit: commit.hex)
            if let next = report.nextRetry { schedule(.retryDue, after: max(.milliseconds(100), .seconds(next.timeIntervalSinceNow))) }
        } catch is CancellationError {
            return
        } catch let error where stop.isStopped {
            logger.notice("pass stopped: specsync is shutting down", metadata: ["error": "\(error)"])
            return
        } catch {
            metrics.recordPass(result: .failure, duration: ContinuousClock.now - started)
            await health.markPassCompleted(success: false, at: Date())
            notifier?.status("last pass failed: \(error)")
            logger.error("pass failed; trying again later", metadata: ["error": "\(error)"])
            await notify(session, PassOutcome(target: session.target.name, failure: "\(error)", before: before,
                                              after: before == nil ? nil : await session.recorder.state, drift: drift))
            schedule(.retryDue, after: session.configuration.daemon.retryBase)
        }
    }

    /// Compares the managed resources with their records (one listing where the API has one) and,
    /// under `heal`, hands each drift to the reconciler, whose decisions (heal or quarantine) are
    /// recorded; the next pass then sends git's body again.
    @discardableResult
    func checkDrift(_ session: DaemonSession) async throws -> DriftReport {
        let state = await session.recorder.state
        let drift = try await DriftDetector(target: session.client).check(state)
        metrics.setDrift(drift.count)
        for change in drift.changed {
            logger.warning("spec changed outside git", metadata: [
                "bundle": "\(change.bundle)", "id": "\(change.id)",
                "recordedRevision": "\(change.recordedRevision ?? "-")",
                "remoteRevision": "\(change.remoteRevision ?? "-")",
            ])
        }
        for change in drift.deleted {
            logger.warning("spec deleted outside git", metadata: ["bundle": "\(change.bundle)", "id": "\(change.id)"])
        }
        guard session.configuration.daemon.driftPolicy == .heal else { return drift }
        let reconciler = Reconciler(policy: Reconciler.Policy(), resource: session.target.kind.resource)
        for change in drift.changed + drift.deleted {
            guard let record = state[change.bundle] else { continue }
            let decision = reconciler.heal(change, record: record, maxHeals: session.configuration.daemon.maxHeals)
            switch decision.kind {
            case .quarantined:
                // Something keeps changing it back: stop the tug of war and say so.
                logger.error("spec quarantined: it diverged again after every heal", metadata: [
                    "bundle": "\(change.bundle)", "id": "\(change.id)", "heals": "\(record.consecutiveHeals ?? 0)",
                ])
                try await session.recorder.quarantined(change.bundle, reason: decision.reason ?? "quarantined")
            default:
                try await session.recorder.healed(change.bundle, remoteRevision: change.remoteRevision,
                                                  heals: (record.consecutiveHeals ?? 0) + 1)
            }
        }
        return drift
    }

    /// Works out what to say now, in pass order, and sends it off the pass's path: a slow or dead
    /// receiver delays no pass and fails none.
    func notify(_ session: DaemonSession, _ outcome: PassOutcome) async {
        let settings = session.configuration.notifications
        guard !settings.isEmpty else { return }
        let metrics = self.metrics
        let notifier = Notifier(settings: settings, environment: environment.variables, logger: logger) { receiver, delivery in
            metrics.recordNotification(receiver: receiver, outcome: delivery.rawValue)
        }
        let notification = await notificationMemory.notification(for: outcome)
        Task { await notifier.send(notification) }
    }

    func updateGauges(_ session: DaemonSession, report: SyncReport) async {
        let state = await session.recorder.state
        // A record with an error is pending, so only the pending records are read.
        var counts: [BundleStatus: Int] = [:]
        var failing = 0
        for bundle in state.bundles.pendingKeys {
            guard let record = state[bundle], record.lastError != nil else { continue }
            failing += 1
            counts[record.failure == .invalid ? .invalid : .failed, default: 0] += 1
        }
        counts[.inSync] = state.bundles.count - failing
        counts[.orphaned] = report.orphaned.count
        counts[.pending] = report.deferred.count
        metrics.setBundles(counts)
    }

    /// Local: the refs watched (`watchLocalRepository`). Remote: fetch on an interval with ±10% jitter.
    func watchRepository(_ settings: DaemonSession.WatchSettings) async {
        if settings.isRemote {
            while !Task.isCancelled {
                let jitter = Double.random(in: 0.9...1.1)
                try? await Task.sleep(for: settings.fetchInterval * jitter)
                await triggers.enqueue(.fetchDue)
            }
        } else {
            await watchLocalRepository(settings)
        }
    }

    func tick(every interval: Duration, trigger: Trigger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await triggers.enqueue(trigger)
        }
    }

    func schedule(_ trigger: Trigger, after delay: Duration) {
        Task {
            try? await Task.sleep(for: delay)
            await triggers.enqueue(trigger)
        }
    }

    /// SIGHUP reloads the configuration and starts a pass; on a standby, the leader does.
    func watchSignals() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            if leadership.standbyChannel != nil {
                logger.notice("SIGHUP: forwarding to the leader")
            } else {
                notifier?.reloading()
                logger.notice("SIGHUP: reloading the configuration")
            }
            await trigger(.reload)
        }
    }

    func reload(_ session: DaemonSession) async -> DaemonSession {
        defer { notifier?.ready(status: "configuration reloaded") }
        do {
            let stop = self.stop
            return try await session.reloaded(
                environment: environment, logger: logger, metrics: metrics, shouldStop: { stop.isStopped })
        } catch {
            logger.error("reload failed; keeping the previous configuration", metadata: ["error": "\(error)"])
            return session
        }
    }
}
