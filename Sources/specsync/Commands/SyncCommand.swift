import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine
import SpecSyncGit
import SpecSyncJSON
import SpecSyncSource
import SpecSyncTargets
import SpecSyncService
import SpecSyncSystemd
import SpecSyncHTTPEndpoints
import SpecSyncNotify
import ServiceLifecycle
import UnixSignals

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Make the target match git and record what was done.",
        discussion: """
            --once runs one pass: plan, apply, record after every success, report. It can be run again \
            at any time, after any failure, without harm. Exit 0 when every bundle is in sync, 1 on a \
            fatal error (configuration, git, state, authentication), 3 when some bundles failed or are \
            invalid (the others were still synced).

            Without --once it runs as a service until SIGTERM or SIGINT (which finish the writes in \
            flight, record them and exit 0): it watches the repository (a local repository's refs with \
            inotify, or re-read every daemon.pollInterval with daemon.watch: poll; a remote fetched every \
            daemon.fetchInterval and on a verified webhook), runs one pass for any burst of changes, \
            retries failing bundles with backoff, checks for drift, serves /healthz, /readyz, /metrics \
            and /hooks/git, and talks to systemd (Type=notify, watchdog). SIGHUP reloads the \
            configuration and starts a pass.

            With state.backend: postgres any number of services can share one target: the one holding \
            its state lock leads and runs the passes; the others stand by (/readyz role standby, \
            specsync_leader 0), forward webhooks and SIGHUP to the leader, and take over within seconds \
            when it dies or loses its database session.

            --bundle NAME (repeatable, a glob such as 'mailchimp-*') syncs only those bundles; the last \
            synced commit does not move past a changed bundle left out, so the next pass still syncs it. \
            --plan FILE applies a plan saved by `specsync plan --out FILE`: exactly its decisions, or \
            none when anything it was decided from moved (a new commit, another state serial or \
            lineage, a remote revision, a body hash); it then says what moved and exits 1.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target to sync (default: the only or default target).", valueName: "name"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Sync this revision instead of the configured ref.", valueName: "rev"))
    var rev: String?

    @Flag(name: .long, help: "Run one pass and exit.")
    var once = false

    @Flag(name: .long, help: "Overwrite specs changed outside git, and send quarantined bundles.")
    var force = false

    @Flag(name: .long, help: "With --once: compare every bundle with its record, not only those the tree diff from the last synced commit names.")
    var fullScan = false

    @Option(name: .customLong("bundle"), help: ArgumentHelp("With --once: sync only this bundle (repeatable; a glob such as 'mailchimp-*').", valueName: "name"))
    var bundles: [String] = []

    @Option(name: .long, help: ArgumentHelp("With --once: apply this saved plan (`specsync plan --out FILE`) or nothing.", valueName: "file"))
    var plan: String?

    @Option(name: .long, help: ArgumentHelp("With --once: how long to wait for a state lock another run holds, e.g. 30s or 5m (default: fail at once, naming the holder). The file backend never waits.", valueName: "duration"))
    var lockTimeout: String?

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical (default: warning with --once, info as a service).", valueName: "level"))
    var logLevel: Logger.Level?

    @Option(name: .long, help: ArgumentHelp("Log format: text, json or journald (default: journald when JOURNAL_STREAM is set, else text).", valueName: "format"))
    var logFormat: LogFormat?

    func run() async throws {
        let context = CommandContext.process
        LoggingSetup.bootstrap(level: logLevel ?? (once ? .warning : .info), format: logFormat)
        if fullScan && !once { throw ValidationError("--full-scan applies to --once; the service follows tree diffs and checks drift instead") }
        if (!bundles.isEmpty || plan != nil) && !once { throw ValidationError("--bundle and --plan apply to --once; the service syncs every bundle") }
        if plan != nil && (force || fullScan || !bundles.isEmpty) {
            throw ValidationError("--plan applies the saved plan as it was made (its bundles and scan); --force, --full-scan and --bundle belong to `specsync plan`")
        }
        if lockTimeout != nil && !once { throw ValidationError("--lock-timeout applies to --once; the service waits as a standby for as long as another instance leads") }
        let format = try global.plainFormat("sync")
        guard once else {
            try await runService(context: context)
            return
        }
        TerminationSignals.exitOnTermination()
        let logger = Logger(label: "specsync")
        let saved = try plan.map { try Self.readPlan($0) }
        let session = try TargetSession(global: global, targetName: target ?? saved?.target.name, context: context, logger: logger)
        var lockWait = Duration.zero
        if let lockTimeout {
            guard let duration = ConfigurationLoader.parseDuration(lockTimeout) else {
                throw ValidationError("--lock-timeout must be a duration such as 30s, 5m or 1h; found '\(lockTimeout)'")
            }
            lockWait = duration
        }
        let recorder = try await session.openRecorder(lockTimeout: lockWait)
        defer { recorder.close() }

        let repository = try await RepositoryOpener.open(session.configuration)
        let commit = try await RepositoryOpener.resolve(rev ?? session.configuration.repository.ref, in: repository)
        let client = try session.client(readOnly: false, context: context)
        let progressLine = ProgressLine(enabled: context.standardErrorIsTerminal && format == .text)
        var options: SyncEngine.Options
        do {
            options = try SyncEngine.Options.make(
                configuration: session.configuration, target: session.target, environment: context.environment, force: force)
        } catch { throw CommandFailure("\(error)") }
        options.fullScan = saved?.fullScan ?? fullScan
        let selection = saved?.selection ?? bundles
        options.selection = selection.isEmpty ? nil : BundleSelection(selection)
        let engine = SyncEngine(
            repository: repository, layout: session.layout, target: client,
            options: options, logger: logger, progress: { progressLine.show($0) })

        let report: SyncReport
        let renderer = SyncReportRenderer(style: global.style(context: context))
        func show(_ report: SyncReport) {
            switch format {
            case .text: Output.standardOutput(renderer.text(report, target: session.target))
            case .json: Output.standardOutput(renderer.json(report, target: session.target, statePath: session.statePath).prettyPrinted())
            }
        }
        // Receivers hear about the pass after its report is printed; sending never changes the exit code.
        let notifier = Notifier(settings: session.configuration.notifications, environment: context.environment, logger: logger)
        let before = await recorder.state
        func notify(_ report: SyncReport?, failure: String? = nil) async {
            guard !notifier.isEmpty else { return }
            let outcome = PassOutcome(target: session.target.name, commit: commit.hex, report: report, failure: failure,
                                      before: before, after: await recorder.state)
            await notifier.send(await NotificationMemory().notification(for: outcome))
        }
        do {
            report = try await engine.run(commit: commit, recorder: recorder, applying: saved)
        } catch let error as StalePlan {
            throw CommandFailure(error.description)
        } catch let error as BundleSelectionError {
            throw CommandFailure(error.description)
        } catch let interrupted as PassInterrupted {
            // What was done is reported, then the reason the pass stopped (exit 1).
            progressLine.clear()
            show(interrupted.report)
            await notify(interrupted.report, failure: interrupted.description)
            throw CommandFailure(interrupted.description)
        } catch {
            await notify(nil, failure: "\(error)")
            throw error
        }
        progressLine.clear()
        show(report)
        await notify(report)
        // verify.afterSync (text output only: JSON stays one document): the chain for what the pass wrote.
        let verified = global.format == .text ? VerificationRunner.bundlesAfterSync(report, settings: session.target.verify) : []
        if !verified.isEmpty {
            let state = await recorder.state
            let ids = Dictionary(uniqueKeysWithValues: verified.map { ($0.source, state.bundles[$0.source]?.id) })
            if try await !VerifyCommand.verify(ids, session: session, context: context, format: .text, style: global.style(context: context)) {
                throw ExitCode(3)
            }
        }
        if !report.isInSync { throw ExitCode(3) }
    }

    /// A plan `specsync plan --out` wrote.
    static func readPlan(_ path: String) throws -> SavedPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read the saved plan \(path): no such file or not readable; write one with `specsync plan --out \(path)`")
        }
        do { return try SavedPlan(json: String(decoding: data, as: UTF8.self), source: path) } catch { throw CommandFailure(error.description) }
    }

    /// The long-running service: the daemon, its HTTP endpoints and the systemd watchdog in one group.
    func runService(context: CommandContext) async throws {
        let logger = Logger(label: "specsync")
        let loader = ConfigurationLoader(environment: context.environment, currentDirectory: context.currentDirectory)
        let configPath = global.config
        let configuration: Configuration
        do { configuration = try loader.load(path: configPath) } catch { throw CommandFailure(error.description) }
        let metrics = SyncMetrics()
        let health = HealthState()
        let notifier = SystemdNotifier(environment: context.environment)
        var environment = SyncDaemon.Environment(
            loadConfiguration: { try loader.load(path: configPath) }, targetName: target, variables: context.environment,
            makeTarget: { configuration, target, observe in
                try target.makeClient(
                    environment: context.environment,
                    transport: try AsyncHTTPTransport(settings: target.http, target: target.name, environment: context.environment), observe: observe,
                    logger: Logger(label: "specsync.\(target.kind.rawValue.lowercased())"))
            },
            makeOptions: { configuration, target in
                try SyncEngine.Options.make(configuration: configuration, target: target, environment: context.environment, force: false)
            },
            makeMirror: { configuration, shouldStop in
                try RepositoryMirror(configuration: configuration, variables: context.environment, shouldStop: shouldStop)
            })
        environment.version = SpecSyncVersion.current
        let daemon = SyncDaemon(environment: environment, metrics: metrics, health: health, notifier: notifier, logger: logger)
        var services: [any Service] = []
        if configuration.daemon.httpEnabled {
            var settings = EndpointSettings()
            settings.host = configuration.daemon.httpHost
            settings.port = configuration.daemon.httpPort
            settings.maximumConnections = configuration.daemon.httpMaxConnections
            settings.requestHeadTimeout = configuration.daemon.httpRequestHeadTimeout
            let verifier: WebhookVerifier?
            do {
                verifier = try configuration.daemon.webhookSecret.map {
                    WebhookVerifier(secret: try SecretResolver(environment: context.environment).resolve($0).value)
                }
            } catch { throw CommandFailure("\(error)") }
            let server = StatusServer(
                settings: settings, metrics: metrics, health: health, webhook: verifier,
                onWebhook: { provider in await daemon.webhookReceived(provider: provider) }, logger: Logger(label: "specsync.http"))
            services.append(server)
            Task {
                if let port = try? await server.port {
                    logger.notice("serving health, metrics and webhook", metadata: ["address": "\(settings.host):\(port)"])
                }
            }
        }
        if let notifier, let interval = SystemdNotifier.watchdogInterval(environment: context.environment) {
            services.append(WatchdogService(notifier: notifier, interval: interval, logger: logger,
                                            health: { daemon.activity.isResponsive(limit: SyncDaemon.passLimit) }))
        }
        services.append(daemon)
        let group = ServiceGroup(configuration: .init(
            // A service that fails (the daemon cannot start) shuts the others down gracefully: cancelling the
            // HTTP server instead makes Hummingbird log "Server shutdown error: Already closed".
            services: services.map { .init(service: $0, failureTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let error as CustomStringConvertible {
            throw CommandFailure(error.description)
        }
    }
}
