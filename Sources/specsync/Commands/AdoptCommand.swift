import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncConfiguration
import SpecSyncGit
import SpecSyncCore
import SpecSyncEngine
import SpecSyncJSON
import SpecSyncSource
import SpecSyncTargets

struct AdoptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adopt",
        abstract: "Link bundles to remote specs that already exist, by name. Writes nothing remotely.",
        discussion: """
            For every bundle at the configured ref that the state does not link to a remote id yet, \
            asks the target (GET only, enforced) for specs with the bundle's name: exactly one is \
            recorded as the bundle's remote spec, without a body hash, so the next sync sends the \
            desired body to it once (adopting does not claim the remote equals git); several are \
            reported as ambiguous and skipped; none means the next sync creates it. Invalid bundles \
            are skipped. --dry-run shows the same table and writes nothing.

            Only specs this client created are linked: one created by another client of the org \
            (its createdClient) is linked only with --include-foreign, and one of another org, such \
            as Adobe's catalogue, never; those are listed as not linked, and sync creates a spec of \
            the bundle's own.

            Exit 0 when every bundle is linked or will be created by sync, 1 on error, 3 when some \
            bundles need attention (ambiguous, invalid, or their spec is recorded for another bundle).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    @Flag(name: .long, help: "Show what would be linked; write nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Also link specs of this org that another client created (never another org's).")
    var includeForeign = false

    func run() async throws {
        let format = try global.plainFormat("adopt")
        let context = CommandContext.process
        LoggingSetup.bootstrap(level: .warning)
        let session = try TargetSession(global: global, targetName: target, context: context, logger: Logger(label: "specsync"))
        let configuration = session.configuration
        let client = try session.client(readOnly: true, context: context)

        let recorder = dryRun ? nil : try await session.openRecorder()
        defer { recorder?.close() }
        let state = if let recorder { await recorder.state } else { try await session.loadState() }

        // Bodies as sync computes them for this target (its patches may set the name).
        let options: SyncEngine.Options
        do {
            options = try SyncEngine.Options.make(configuration: configuration, target: session.target, environment: context.environment, force: false)
        } catch { throw CommandFailure("\(error)") }
        let evaluator = BundleEvaluator(layout: session.layout, customization: options.customization)
        let source = try await RepositoryOpener.commitSource(configuration: configuration, revision: configuration.repository.ref, layout: session.layout)
        let evaluated: [EvaluatedBundle]
        do { evaluated = try await source.evaluateAll(with: evaluator) } catch {
            throw CommandFailure("cannot read the bundles at \(source.label): \(error)")
        }
        let outcomes: [SpecAdopter.Outcome]
        do { outcomes = try await SpecAdopter(target: client, includeForeign: includeForeign).outcomes(for: evaluated, state: state) } catch {
            throw CommandFailure("cannot read the target \(session.target.name): \(error)")
        }

        let adopted = outcomes.filter { $0.result == .adopted }.count
        var written = false
        if let recorder, adopted > 0 {
            do {
                try await recorder.adopted(outcomes.compactMap { outcome in
                    guard outcome.result == .adopted, let remote = outcome.remote else { return nil }
                    return (bundle: outcome.bundle, name: outcome.name, remote: remote)
                })
                try await recorder.save()
            } catch { throw CommandFailure("\(error)") }
            written = true
        }

        switch format {
        case .text: Output.standardOutput(text(outcomes, session: session, commit: source.commit.hex, written: written))
        case .json: Output.standardOutput(json(outcomes, session: session, commit: source.commit.hex, written: written).prettyPrinted())
        }
        if outcomes.contains(where: \.needsAttention) { throw ExitCode(3) }
    }

    func label(_ result: SpecAdopter.Result) -> String {
        switch result {
        case .adopted: dryRun ? "would adopt" : "adopted"
        case .ambiguous: "ambiguous"
        case .notFound: "not found"
        case .alreadyLinked: "linked"
        case .invalid: "invalid"
        case .conflict: "conflict"
        }
    }

    func text(_ outcomes: [SpecAdopter.Outcome], session: TargetSession, commit: String, written: Bool) -> String {
        let style = global.style(context: .process)
        var lines: [String] = []
        lines.append(style.bold("Adopting remote specs by name in \(session.target.name)") + style.dim(" (\(session.target.identity.identity)), commit \(commit.prefix(12))"))
        let header = ["BUNDLE", "RESULT", "REMOTE ID", "NAME / DETAIL"]
        let rows = outcomes.map { outcome -> [String] in
            let id = outcome.result == .adopted || outcome.result == .alreadyLinked ? (outcome.candidates.first ?? "-") : "-"
            return [outcome.bundle.source, label(outcome.result), id, outcome.name ?? "-"]
        }
        let widths = (0..<3).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func row(_ cells: [String]) -> String {
            "  " + (0..<3).map { cells[$0] + String(repeating: " ", count: widths[$0] - cells[$0].count) }.joined(separator: "  ") + "  " + cells[3]
        }
        lines.append(style.dim(row(header)))
        for (outcome, cells) in zip(outcomes, rows) {
            let line = row(cells)
            switch outcome.result {
            case .adopted: lines.append(style.green(line))
            case .alreadyLinked: lines.append(style.dim(line))
            case .notFound: lines.append(line)
            case .ambiguous, .invalid, .conflict: lines.append(style.red(line))
            }
            if outcome.result != .alreadyLinked && outcome.result != .adopted {
                lines.append(style.dim("      \(outcome.reason)"))
            }
        }
        func count(_ result: SpecAdopter.Result) -> Int { outcomes.filter { $0.result == result }.count }
        lines.append("\(count(.adopted)) \(dryRun ? "to adopt" : "adopted"), \(count(.ambiguous)) ambiguous, \(count(.notFound)) without a remote spec (sync will create them), \(count(.alreadyLinked)) already linked, \(count(.invalid)) invalid, \(count(.conflict)) in conflict.")
        if dryRun {
            lines.append("Dry run: nothing was written.")
        } else if written {
            lines.append("Recorded in the \(session.stateLocation). Next: `specsync sync --once` sends the desired body to each adopted spec once.")
        } else {
            lines.append("Nothing to record.")
        }
        return lines.joined(separator: "\n")
    }

    func json(_ outcomes: [SpecAdopter.Outcome], session: TargetSession, commit: String, written: Bool) -> JSONValue {
        var object = JSONObject()
        object["target"] = .string(session.target.name)
        object["commit"] = .string(commit)
        object["state"] = .string(session.statePath)
        object["dryRun"] = .bool(dryRun)
        object["written"] = .bool(written)
        object["bundles"] = .array(outcomes.map { outcome in
            var entry = JSONObject()
            entry["bundle"] = .string(outcome.bundle.source)
            entry["name"] = outcome.name.map(JSONValue.string) ?? .null
            entry["result"] = .string(outcome.result.rawValue)
            let linked = outcome.result == .adopted || outcome.result == .alreadyLinked
            entry["id"] = linked ? outcome.candidates.first.map(JSONValue.string) ?? .null : .null
            entry["candidates"] = .array(outcome.candidates.map(JSONValue.string))
            entry["reason"] = .string(outcome.reason)
            return .object(entry)
        })
        var counts = JSONObject()
        for result in [SpecAdopter.Result.adopted, .ambiguous, .notFound, .alreadyLinked, .invalid, .conflict] {
            counts[result.rawValue] = .number(String(outcomes.filter { $0.result == result }.count))
        }
        object["counts"] = .object(counts)
        return .object(object)
    }
}
