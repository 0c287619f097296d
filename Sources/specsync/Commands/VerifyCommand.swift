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
import SpecSyncTargets
import SpecSyncJSON

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check through Flow Service that synced specs work: connection, test, explore, optionally a dataflow run; then delete it all.",
        discussion: """
            For each BUNDLE (default: every bundle with a verify.bundles entry) whose spec the \
            state records: a base connection with the test credentials of verify.bundles.NAME \
            (auth values may be $(env:NAME) or $(cred:NAME)), GET /connections/{id}/test, explore \
            with the source's params, and with verify.dataflow a source connection and a one-off \
            dataflow whose run is awaited. Then everything created is deleted. Each creation is \
            first written to TARGET.verify-ledger.json beside the state, so a run that is killed \
            leaves a list: the next verify deletes those leftovers before anything else.

            Exit 0 when every bundle passed, 1 when any step failed.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    @Argument(help: ArgumentHelp("Bundles to verify (default: those with a verify.bundles entry).", valueName: "bundle"))
    var bundles: [String] = []

    func run() async throws {
        let format = try global.plainFormat("verify")
        LoggingSetup.bootstrap(level: .error)
        let context = CommandContext.process
        let logger = Logger(label: "specsync")
        let session = try TargetSession(global: global, targetName: target, context: context, logger: logger)
        let settings = session.target
        guard settings.kind == .flowService else {
            throw CommandFailure("verify runs the Self-Serve Sources chain of Flow Service; target \(settings.name) is a \(settings.kind.rawValue) target")
        }
        let names = bundles.isEmpty ? settings.verify.bundles.keys.sorted() : bundles
        guard !names.isEmpty else {
            throw CommandFailure("nothing to verify: name bundles, or add targets.\(settings.name).verify.bundles entries to the configuration")
        }
        let state = try await session.loadState()
        let ids = Dictionary(names.map { ($0, state?.bundles[$0]?.id) }, uniquingKeysWith: { first, _ in first })
        if try await !Self.verify(ids, session: session, context: context, format: format, style: global.style(context: context)) {
            throw ExitCode.failure
        }
    }

    /// Runs the chain for each bundle (by name, with the spec id the state records), after deleting
    /// an earlier run's leftovers, and prints the reports. True when every bundle passed. Also what
    /// `sync --once` runs under `verify.afterSync`.
    static func verify(_ ids: [String: String?], session: TargetSession, context: CommandContext, format: PlainFormat, style: TerminalStyle) async throws -> Bool {
        let settings = session.target
        guard let api = try session.client(readOnly: false, context: context) as? any FlowVerifying else {
            throw CommandFailure("target \(settings.name) cannot run the verification chain")
        }
        let ledgerPath = VerificationLedger.path(stateDirectory: session.configuration.state.directory, target: settings.name)
        let ledger: VerificationLedger
        do { ledger = try VerificationLedger(path: ledgerPath) } catch { throw CommandFailure(error.description) }
        let runner = VerificationRunner(
            api: api, ledger: ledger, settings: settings.verify, flowSpecs: settings.flowService.flowSpecs,
            lookup: SecretLookup(environment: context.environment), logger: session.logger)

        let cleaned: [String]
        do { cleaned = try await runner.cleanUpLeftovers() } catch {
            throw CommandFailure("cannot delete what an earlier verify left (listed in \(ledgerPath)): \(VerificationRunner.describe(error)); fix that, then run verify again")
        }
        var reports: [VerificationReport] = []
        for (name, id) in ids.sorted(by: { $0.key < $1.key }) {
            let bundle = BundleID(name)
            guard let id else {
                var report = VerificationReport(bundle: bundle)
                report.steps.append(.init(name: "connection spec", passed: false,
                                          detail: "the state of target \(settings.name) records no spec for \(name): run specsync sync first"))
                reports.append(report)
                continue
            }
            reports.append(await runner.verify(bundle: bundle, specID: id))
        }
        render(reports, cleaned: cleaned, format: format, style: style)
        return reports.allSatisfy(\.passed)
    }

    private static func render(_ reports: [VerificationReport], cleaned: [String], format: PlainFormat, style: TerminalStyle) {
        switch format {
        case .json:
            Output.standardOutput(JSONValue.object(JSONObject([
                "formatVersion": .number("1"),
                "passed": .bool(reports.allSatisfy(\.passed)),
                "cleanedUp": .array(cleaned.map(JSONValue.string)),
                "bundles": .array(reports.map(\.json)),
            ])).prettyPrinted())
        case .text:
            for line in cleaned { Output.standardOutput(style.dim(line)) }
            for report in reports {
                Output.standardOutput((report.passed ? style.green("✓") : style.red("✗")) + " " + style.bold(report.bundle.source))
                for step in report.steps {
                    Output.standardOutput("    " + (step.passed ? style.green("✓") : style.red("✗")) + " \(step.name): \(step.detail)")
                }
            }
            let failed = reports.filter { !$0.passed }.count
            let summary = "\(reports.count) bundle\(reports.count == 1 ? "" : "s") checked: \(reports.count - failed) passed, \(failed) failed"
            Output.standardOutput(failed == 0 ? style.green(summary) : style.red(summary))
        }
    }
}
