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
    /// A pass running longer than this is taken as hung: the watchdog stops and systemd restarts us.
    public static let passLimit: Duration = .seconds(1800)

    public init(environment: Environment, metrics: SyncMetrics, health: HealthState, notifier: SystemdNotifier?, logger: Logger) {
        self.environment = environment
        self.metrics = metrics
        self.health = health
        self.notifier = notifier
        self.logger = logger
    }

    /// A verified webhook arrived.
    public func webhookReceived(provider: String) async {
        logger.info("webhook received", metadata: ["provider": "\(provider)"])
        await triggers.enqueue(.webhook)
    }

    public func run() async throws {
        let stop = self.stop
        // A first clone can take long, or hang on a silent server: SIGTERM must be able to end it too.
        let opened = try await withGracefulShutdownHandler { () async throws -> DaemonSession? in
            do {
                return try await DaemonSession.open(
                    environment: environment, logger: logger, metrics: metrics, shouldStop: { stop.isStopped })
            } catch {
                if stop.isStopped { return nil }
                throw error
            }
        } onGracefulShutdown: {
            stop.stop()
        }
        guard var session = opened else {
            logger.notice("specsync daemon stopped before it started")
            return
        }
        defer { session.recorder.close() }
        var lostLock = false
        notifier?.ready(status: "started; first pass pending")
        logger.notice("specsync daemon started", metadata: session.metadata)
        await triggers.enqueue(.startup)

        await withGracefulShutdownHandler {
            let watch = session.watchSettings
            let drift = session.configuration.daemon.driftPolicy == .ignore ? nil : session.configuration.daemon.driftInterval
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.watchSignals() }
                group.addTask { await self.watchRepository(watch) }
                if let drift {
                    group.addTask { await self.tick(every: drift, trigger: .driftCheck) }
                }
                while let batch = await triggers.next() {
                    if batch.contains(.reload) {
                        session = await reload(session)
                    }
                    await pass(batch, session: session)
                    if stop.isStopped { break }
                    // Fenced: another instance may hold the lock now; exit, and let systemd start
                    // this one again to take its turn.
                    if await session.recorder.hasLostLock {
                        lostLock = true
                        break
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.notifier?.stopping()
            self.logger.notice("stopping after the writes in flight")
            self.stop.stop()
            Task { await self.triggers.finish() }
        }
        if lostLock {
            logger.critical("the state lock was lost with its database session; stopping so that a restart takes it again")
            throw StateLockError(path: session.stateLocation, message: "the state lock was lost with its database session",
                                 help: "specsync stopped writing and exits; systemd (Restart=on-failure) starts it again, and it takes the lock once it is free")
        }
        logger.notice("specsync daemon stopped")
    }

    /// One pass for a batch of triggers. Never throws: a failed pass is logged, counted, and tried again later.
    func pass(_ batch: Set<Trigger>, session: DaemonSession) async {
        let started = ContinuousClock.now
        activity.begin()
        defer { activity.end() }
        let before = await session.recorder.state
        var drift: DriftReport?
        do {
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
                                              after: await session.recorder.state, drift: drift))
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

    /// SIGHUP reloads the configuration and starts a pass.
    func watchSignals() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            notifier?.reloading()
            logger.notice("SIGHUP: reloading the configuration")
            await triggers.enqueue(.reload)
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
