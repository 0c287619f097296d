import ArgumentParser
import Foundation
import Logging
import SpecSyncCore
import SpecSyncEngine
import SpecSyncGit
import SpecSyncSource
import SpecSyncTargets

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Make the target match git and record what was done.",
        discussion: """
            --once runs one pass: plan, apply, record after every success, report. It can be run again
            at any time, after any failure, without harm. Exit 0 when every bundle is in sync, 1 on a
            fatal error (configuration, git, state, authentication), 3 when some bundles failed or are
            invalid (the others were still synced).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target to sync (default: the only or default target).", valueName: "name"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Sync this revision instead of the configured ref.", valueName: "rev"))
    var rev: String?

    @Flag(name: .long, help: "Run one pass and exit.")
    var once = false

    @Option(name: .long, help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: Logger.Level = .warning

    func run() async throws {
        guard once else {
            throw CommandFailure("the long-running service is not built yet; run 'specsync sync --once'")
        }
        let context = CommandContext.process
        LoggingSetup.bootstrap(level: logLevel)
        let logger = Logger(label: "specsync")
        let session = try TargetSession(global: global, targetName: target, context: context, logger: logger)
        let lock: StateLock
        do { lock = try StateLock.acquire(forState: session.store.path) } catch { throw CommandFailure(error.description) }
        defer { lock.release() }

        let state = try session.loadState() ?? SyncState(target: session.target.identity)
        let repository = try await RepositoryOpener.open(session.configuration)
        let commit = try await RepositoryOpener.resolve(rev ?? session.configuration.repository.ref, in: repository)
        let client = try session.client(readOnly: false, context: context)
        let progressLine = ProgressLine(enabled: context.standardErrorIsTerminal && global.format == .text)
        var options = SyncEngine.Options()
        options.concurrency = session.target.flowService.concurrency
        let engine = SyncEngine(
            repository: repository, layout: session.configuration.bundles.layout, target: client,
            options: options, logger: logger, progress: { progressLine.show($0) })
        let recorder = StateRecorder(state: state, store: session.store)

        let report: SyncReport
        do {
            report = try await engine.run(commit: commit, recorder: recorder)
        } catch let error as AuthenticationError {
            progressLine.clear()
            throw CommandFailure(error.description)
        } catch let error as StateError {
            progressLine.clear()
            throw CommandFailure(error.description)
        }
        progressLine.clear()
        let renderer = SyncReportRenderer(style: global.style(context: context))
        switch global.format {
        case .text: print(renderer.text(report, target: session.target))
        case .json: print(renderer.json(report, target: session.target, statePath: session.store.path).prettyPrinted())
        }
        if !report.isInSync { throw ExitCode(3) }
    }
}
