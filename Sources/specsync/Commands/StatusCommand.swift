import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncJSON

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the state records for a target, bundle by bundle. Reads only the state file.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    func run() async throws {
        let format = try global.plainFormat("status")
        let context = CommandContext.process
        // The same loading as every other command, including the check that the state is this target's.
        let session = try TargetSession(global: global, targetName: target, context: context, logger: Logger(label: "specsync"))
        let target = session.target
        let path = session.statePath
        let state = try await session.loadState()
        let style = global.style(context: context)

        switch format {
        case .json:
            var object = JSONObject()
            object["target"] = .string(target.name)
            object["state"] = .string(path)
            object["lastSyncedCommit"] = state?.lastSyncedCommit.map(JSONValue.string) ?? .null
            object["serial"] = .number(String(state?.serial ?? 0))
            object["bundles"] = .array((state?.bundles ?? [:]).sorted { $0.key < $1.key }.map { key, record in
                var entry = JSONObject()
                entry["bundle"] = .string(key)
                entry["status"] = .string(record.status.word)
                entry["id"] = record.id.map(JSONValue.string) ?? .null
                entry["name"] = record.name.map(JSONValue.string) ?? .null
                entry["bodyHash"] = record.bodyHash.map(JSONValue.string) ?? .null
                entry["updatedAt"] = record.updatedAt.map { .number(String($0)) } ?? .null
                entry["lastSyncedAt"] = record.lastSyncedAt.map { .string($0.formatted(.iso8601)) } ?? .null
                entry["lastError"] = record.lastError.map(JSONValue.string) ?? .null
                entry["consecutiveFailures"] = .number(String(record.consecutiveFailures))
                return .object(entry)
            })
            Output.standardOutput(JSONValue.object(object).prettyPrinted())
        case .text:
            guard let state else {
                Output.standardOutput("No state for target \(target.name) yet (\(path)): nothing has been synced.")
                return
            }
            Output.standardOutput(style.bold("Target \(target.name)") + style.dim(" (\(state.target.identity))"))
            Output.standardOutput("  state \(path), serial \(state.serial), last synced commit \(state.lastSyncedCommit?.prefix(12) ?? "none")")
            for (key, record) in state.bundles.sorted(by: { $0.key < $1.key }) {
                let updated = record.updatedAt.map { Date(timeIntervalSince1970: Double($0) / 1000).formatted(.iso8601) } ?? "-"
                let status = record.status
                var line = "  \(Self.mark(status, style)) \(key)  \(Self.words(status))  id \(record.id ?? "-")  updated \(updated)  hash \(record.bodyHash?.prefix(12) ?? "-")"
                if let error = record.lastError {
                    line += "\n      " + style.red("last error (\(record.consecutiveFailures)×): \(error)")
                }
                if let unconfirmed = record.unconfirmedBodyHashes, !unconfirmed.isEmpty {
                    line += "\n      " + style.dim("\(unconfirmed.count) write\(unconfirmed.count == 1 ? "" : "s") never answered (the remote may hold one: counted as specsync's own)")
                }
                Output.standardOutput(line)
            }
        }
    }

    /// One glyph per kind of status, so that a failing, a quarantined and an orphaned record differ
    /// at a glance even without colour.
    static func mark(_ status: BundleRecord.Status, _ style: TerminalStyle) -> String {
        switch status {
        case .inSync: style.green("✓")
        case .linked, .notCreated: style.yellow("…")
        case .failed: style.red("✗")
        case .quarantined: style.red("!")
        case .orphan: style.dim("-")
        }
    }

    static func words(_ status: BundleRecord.Status) -> String {
        switch status {
        case .inSync: "in sync"
        case .linked: "pending (linked: git's body not sent yet)"
        case .notCreated: "pending (not created yet)"
        case .failed(.invalid): "failed (invalid: has errors, not sent)"
        case .failed(.failed): "failed (write failed: retried with backoff)"
        case .failed(.conflict): "failed (conflict: changed outside git)"
        case .failed(.missing): "failed (missing: deleted outside git)"
        case .failed(.ambiguous): "failed (ambiguous: several remote resources have its name)"
        case .failed(.drifted): "failed (drifted: changed outside git, written again next)"
        case .quarantined, .failed(.quarantined): "quarantined (not sent until git changes it or --force)"
        case .orphan: "orphan (marked: left git, no longer managed)"
        }
    }
}
