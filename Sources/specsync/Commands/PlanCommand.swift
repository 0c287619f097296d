import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncGit
import SpecSyncJSON
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

            --bundle NAME (repeatable, a glob such as 'mailchimp-*') plans only those bundles. --out FILE \
            also saves the plan (mode 0600; hashes and references, never a body or a secret) for \
            `specsync sync --once --plan FILE`, which applies exactly it or refuses it whole when what it \
            was decided from moved. --format markdown prints a pull-request comment: a summary table, \
            one collapsible section per bundle, at most 65,000 characters, and a first line \
            (`<!-- specsync-plan target=NAME -->`) by which a CI job finds its earlier comment.

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

    @Option(name: .customLong("bundle"), help: ArgumentHelp("Plan only this bundle (repeatable; a glob such as 'mailchimp-*').", valueName: "name"))
    var bundles: [String] = []

    @Option(name: .long, help: ArgumentHelp("Also save the plan to this file, for `sync --once --plan FILE`.", valueName: "file"))
    var out: String?

    func validate() throws {
        if out != nil && offline {
            throw ValidationError("--out saves the remote revisions the plan saw, so it needs the remote: drop --offline")
        }
    }

    func run() async throws {
        let context = CommandContext.process
        LoggingSetup.bootstrap(level: .warning)
        let session = try TargetSession(global: global, targetName: target, context: context, logger: Logger(label: "specsync"))
        let configuration = session.configuration
        let target = session.target
        let client = offline ? nil : try session.client(readOnly: true, context: context)
        let repository = try await RepositoryOpener.open(configuration, fetch: !noFetch && !offline)
        let commit = try await RepositoryOpener.resolve(rev ?? configuration.repository.ref, in: repository)
        // The bundles roots of this commit and of the tree diff's likely base are read on the
        // repository's thread while the state loads on this one (at 100,000 bundles each of the
        // three is a fifth of a plan). The base is the state file's word, unverified: a wrong one
        // costs a read, nothing more.
        GitCommitSource.preloadRoots(repository: repository, layout: session.layout, commit: commit, lastSynced: session.lastSyncedCommitHint)
        let state = try await session.loadState()
        var options: SyncEngine.Options
        do {
            options = try SyncEngine.Options.make(configuration: configuration, target: target, environment: context.environment, force: false)
        } catch { throw CommandFailure("\(error)") }
        options.fullScan = fullScan
        options.selection = bundles.isEmpty ? nil : BundleSelection(bundles)
        let engine = SyncEngine(repository: repository, layout: session.layout, target: client ?? OfflineTarget(), options: options,
                                logger: session.logger)
        let desired = try await engine.desiredState(commit: commit, state: state)
        let plan: Plan
        let leftOut: [BundleID]
        do {
            (plan, leftOut) = try await engine.reviewPlan(commit: commit, desired: desired, state: state, listUnchanged: global.format == .json)
        } catch let error as BundleSelectionError { throw CommandFailure(error.description) }
        let decisions: [Decision]
        do {
            decisions = try await engine.decisions(for: plan, desired: desired, state: state, offline: client == nil)
        } catch {
            throw CommandFailure("cannot read the target: \(error)")
        }

        var remarks: [BundleID: String] = [:]
        let streaming = desired.streamingBundles
        for decision in decisions where decision.kind == .create || decision.kind == .adopt {
            let isStreaming = streaming.contains(decision.bundle)
            if let flowSpec = options.flowSpecs.flowSpec(for: decision.bundle, streaming: isStreaming) {
                remarks[decision.bundle] = "then added to flow spec \(flowSpec) (\(options.flowSpecs.reason(for: decision.bundle, streaming: isStreaming)))"
            }
        }
        if client == nil {
            for decision in decisions where engine.reconciler.lookup(for: decision) != nil {
                remarks[decision.bundle, default: ""] += (remarks[decision.bundle] == nil ? "" : "; ") + "not checked against the remote (--offline)"
            }
        }
        if let out {
            let saved = SavedPlan(decisions: decisions, target: target.identity, commit: commit.hex, state: state,
                                  selection: options.selection, fullScan: fullScan)
            do {
                // Redacted as all output is; the file holds hashes and references only.
                try DurableFile.write(Data(SecretRegistry.shared.redact(saved.json.prettyPrinted() + "\n").utf8), to: out, permissions: 0o600)
            } catch { throw CommandFailure("cannot save the plan to \(out): \(error)") }
        }
        let renderer = PlanRenderer(style: global.style(context: context))
        switch global.format {
        case .text: Output.standardOutput(renderer.text(plan, decisions: decisions, target: target, detection: desired.detection, remarks: remarks, leftOut: leftOut))
        case .json: Output.standardOutput(renderer.json(plan, decisions: decisions, target: target, detection: desired.detection, remarks: remarks, leftOut: leftOut).prettyPrinted())
        case .markdown:
            Output.standardOutput(PlanMarkdownRenderer().markdown(plan, decisions: decisions, target: target, detection: desired.detection, remarks: remarks, leftOut: leftOut))
        }
        if let out { Output.standardError("Saved the plan to \(out); apply exactly it with `specsync sync --once --plan \(out)`") }
        if decisions.contains(where: { $0.kind == .invalid }) { throw ExitCode.failure }
        if detailedExitcode && decisions.contains(where: { $0.writes || $0.kind == .record || $0.kind == .prune || $0.kind == .forget }) {
            throw ExitCode(2)
        }
    }
}
