import ArgumentParser
import Foundation
import SpecSyncCore
import SpecSyncGit
import SpecSyncSource

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a sync would create, update, leave unchanged or orphan. Writes nothing.",
        discussion: """
            --offline compares the configured ref with the target's state file only, with a
            field-by-field diff of each changed body against the last synced commit, and uses no network.
            Exit 0 on success (with --detailed-exitcode: 0 no changes, 2 changes pending), 1 on error
            or when a bundle is invalid.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target to plan for (default: the only or default target).", valueName: "name"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("Plan this revision instead of the configured ref.", valueName: "rev"))
    var rev: String?

    @Flag(name: .long, help: "Use the state file only; no network.")
    var offline = false

    @Flag(name: .long, help: "Exit 2 when changes are pending, 0 when there are none.")
    var detailedExitcode = false

    func run() async throws {
        guard offline else {
            throw CommandFailure("the online plan needs the Flow Service client, which this build does not have yet; run 'specsync plan --offline'")
        }
        let context = CommandContext.process
        let configuration = try global.loadConfiguration(context: context)
        let target: TargetSettings
        do { target = try configuration.target(named: self.target) } catch { throw CommandFailure(error.description) }
        let statePath = configuration.statePath(for: target)
        let state: SyncState?
        do { state = try StateStore(path: statePath).load() } catch { throw CommandFailure(error.description) }
        if let state, state.target.identity != target.identity.identity || state.target.kind != target.identity.kind {
            throw CommandFailure("state file \(statePath) belongs to \(state.target), not to \(target.identity); point state.directory elsewhere or choose the right --target")
        }

        let repository = try await RepositoryOpener.open(configuration)
        let commit = try await RepositoryOpener.resolve(rev ?? configuration.repository.ref, in: repository)
        let resolver = DesiredStateResolver(repository: repository, layout: configuration.bundles.layout)
        let desired = try await resolver.resolve(commit: commit, state: state)
        var previous: [BundleID: JSONValue] = [:]
        if case .treeDiff(let base) = desired.detection {
            let updated = desired.evaluated.map { desired.renames[$0.id] ?? $0.id }
            previous = try await resolver.previousBodies(of: updated, at: base)
        }
        let plan = Planner().plan(
            commit: commit.hex, evaluated: desired.evaluated, unchanged: desired.unchanged,
            renames: desired.renames, previousBodies: previous, state: state)

        let renderer = PlanRenderer(style: global.style(context: context))
        switch global.format {
        case .text: print(renderer.text(plan, target: target, detection: desired.detection))
        case .json: print(renderer.json(plan, target: target, detection: desired.detection).prettyPrinted())
        }
        if plan.count(.invalid) > 0 { throw ExitCode.failure }
        if detailedExitcode && plan.hasPendingWrites { throw ExitCode(2) }
    }
}
