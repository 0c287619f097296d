import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncGit
import SpecSyncSource
import SpecSyncEngine
import SpecSyncTargets
import Logging

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a sync would create, update, leave unchanged or orphan. Writes nothing.",
        discussion: """
            Compares the configured ref with the target's state file, with a field-by-field diff of each \
            changed body against the last synced commit. Online (the default) it also asks the target, \
            with GET requests only, whether each spec to create already exists by name (it would be \
            adopted) and whether each spec to update still exists; a client that refuses every other \
            method enforces this. --offline uses no network at all.

            Exit 0 on success (with --detailed-exitcode: 0 no changes, 2 changes pending), 1 on error \
            or when a bundle is invalid.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target to plan for (default: the only or default target).", valueName: "name"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Plan this revision instead of the configured ref.", valueName: "rev"))
    var rev: String?

    @Flag(name: .long, help: "Use the state file only; no network.")
    var offline = false

    @Flag(name: .long, help: "Compare every bundle with its record, not only those the tree diff from the last synced commit names.")
    var fullScan = false

    @Flag(name: .long, help: "Exit 2 when changes are pending, 0 when there are none.")
    var detailedExitcode = false

    @Flag(name: .long, help: "With repository.url: plan from specsync's clone as it is, without fetching (as --offline does).")
    var noFetch = false

    func run() async throws {
        let context = CommandContext.process
        LoggingSetup.bootstrap(level: .warning)
        let session = try TargetSession(global: global, targetName: target, context: context, logger: Logger(label: "specsync"))
        let configuration = session.configuration
        let target = session.target
        let state = try await session.loadState()
        let client = offline ? nil : try session.client(readOnly: true, context: context)

        let repository = try await RepositoryOpener.open(configuration, fetch: !noFetch && !offline)
        let commit = try await RepositoryOpener.resolve(rev ?? configuration.repository.ref, in: repository)
        var options: SyncEngine.Options
        do {
            options = try SyncEngine.Options.make(configuration: configuration, target: target, environment: context.environment, force: false)
        } catch { throw CommandFailure("\(error)") }
        options.fullScan = fullScan
        let engine = SyncEngine(repository: repository, layout: session.layout, target: client ?? OfflineTarget(), options: options,
                                logger: session.logger)
        let desired = try await engine.desiredState(commit: commit, state: state)
        let resolver = DesiredStateResolver(repository: repository, layout: session.layout, customization: options.customization)
        // Planned once to learn which records the changed bundles take over, then with the bodies
        // those records were last synced from, for field diffs.
        let moves = Planner().plan(
            commit: commit.hex, evaluated: desired.evaluated, unchanged: desired.unchanged, renames: desired.renames,
            state: state, fieldDifferences: false, listUnchanged: false)
        var previous: [BundleID: JSONValue] = [:]
        if case .treeDiff(let base) = desired.detection {
            let updated = moves.changes.filter { $0.action == .update }.map { $0.renamedFrom ?? $0.bundle }
            previous = try await resolver.previousBodies(of: updated, at: base)
        }
        let plan = Planner().plan(
            commit: commit.hex, evaluated: desired.evaluated, unchanged: desired.unchanged,
            renames: desired.renames, previousBodies: previous, state: state, listUnchanged: global.format == .json)
        let decisions: [Decision]
        do {
            decisions = try await engine.decisions(for: plan, desired: desired, state: state, offline: client == nil)
        } catch {
            throw CommandFailure("cannot read the target: \(error)")
        }

        var remarks: [BundleID: String] = [:]
        for decision in decisions where decision.kind == .create || decision.kind == .adopt {
            if let flowSpec = options.flowSpecs.flowSpec(for: decision.bundle) { remarks[decision.bundle] = "then added to flow spec \(flowSpec)" }
        }
        if client == nil {
            for decision in decisions where engine.reconciler.lookup(for: decision) != nil {
                remarks[decision.bundle, default: ""] += (remarks[decision.bundle] == nil ? "" : "; ") + "not checked against the remote (--offline)"
            }
        }
        let renderer = PlanRenderer(style: global.style(context: context))
        switch global.format {
        case .text: Output.standardOutput(renderer.text(plan, decisions: decisions, target: target, detection: desired.detection, remarks: remarks))
        case .json: Output.standardOutput(renderer.json(plan, decisions: decisions, target: target, detection: desired.detection, remarks: remarks).prettyPrinted())
        }
        if decisions.contains(where: { $0.kind == .invalid }) { throw ExitCode.failure }
        if detailedExitcode && decisions.contains(where: { $0.writes || $0.kind == .record || $0.kind == .prune || $0.kind == .forget }) {
            throw ExitCode(2)
        }
    }
}
