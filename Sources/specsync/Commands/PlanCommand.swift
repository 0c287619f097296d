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
        let state = try session.loadState()
        let client = offline ? nil : try session.client(readOnly: true, context: context)

        let repository = try await RepositoryOpener.open(configuration, fetch: !noFetch && !offline)
        let commit = try await RepositoryOpener.resolve(rev ?? configuration.repository.ref, in: repository)
        let options: SyncEngine.Options
        do {
            options = try SyncEngine.Options.make(configuration: configuration, target: target, environment: context.environment, force: false)
        } catch { throw CommandFailure("\(error)") }
        let resolver = DesiredStateResolver(repository: repository, layout: session.layout, customization: options.customization)
        let desired = try await resolver.resolve(
            commit: commit, state: state, inputsFingerprint: options.inputsFingerprint, fullScan: fullScan)
        var previous: [BundleID: JSONValue] = [:]
        if case .treeDiff(let base) = desired.detection {
            let updated = desired.evaluated.map { desired.renames[$0.id] ?? $0.id }
            previous = try await resolver.previousBodies(of: updated, at: base)
        }
        let plan = Planner().plan(
            commit: commit.hex, evaluated: desired.evaluated, unchanged: desired.unchanged,
            renames: desired.renames, previousBodies: previous, state: state, listUnchanged: global.format == .json)

        var remarks: [BundleID: String] = [:]
        for change in plan.changes where change.action == .create {
            if let flowSpec = options.flowSpecs.flowSpec(for: change.bundle) { remarks[change.bundle] = "will be added to flow spec \(flowSpec)" }
        }
        if let client {
            do {
                let online = try await Self.remoteRemarks(plan, client: client, state: state)
                remarks.merge(online) { "\($0); \($1)" }
            } catch {
                throw CommandFailure("cannot read the target: \(error)")
            }
        }
        let renderer = PlanRenderer(style: global.style(context: context))
        switch global.format {
        case .text: print(renderer.text(plan, target: target, detection: desired.detection, remarks: remarks))
        case .json: print(renderer.json(plan, target: target, detection: desired.detection, remarks: remarks).prettyPrinted())
        }
        if plan.count(.invalid) > 0 { throw ExitCode.failure }
        if detailedExitcode && plan.hasPendingWrites { throw ExitCode(2) }
    }

    /// What the target says about each write: a create whose name exists would be adopted; an
    /// update whose spec is gone cannot be applied.
    static func remoteRemarks(_ plan: Plan, client: any SyncTarget, state: SyncState?) async throws -> [BundleID: String] {
        var remarks: [BundleID: String] = [:]
        for change in plan.changes {
            switch change.action {
            case .create:
                guard let name = change.name else { continue }
                let existing = try await client.find(name: name, bundle: change.bundle)
                if existing.count == 1 { remarks[change.bundle] = "exists remotely as \(existing[0].id): would be adopted and updated" }
                if existing.count > 1 { remarks[change.bundle] = "\(existing.count) remote resources have this name: the sync will refuse" }
            case .update:
                guard let id = change.remoteID else { continue }
                guard let remote = try await client.read(id: id, bundle: change.renamedFrom ?? change.bundle) else {
                    remarks[change.bundle] = "the remote resource \(id) no longer exists"
                    continue
                }
                let recorded = state?[change.renamedFrom ?? change.bundle]?.recordedRevision
                if let recorded, let current = remote.revision, current != recorded {
                    remarks[change.bundle] = "changed outside git (revision \(current), recorded \(recorded)): the sync will refuse without --force"
                }
            default:
                continue
            }
        }
        return remarks
    }
}
