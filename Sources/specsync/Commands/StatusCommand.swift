import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncCore

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the state records for a target, bundle by bundle. Reads only the state file.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    func run() async throws {
        let context = CommandContext.process
        // The same loading as every other command, including the check that the state is this target's.
        let session = try TargetSession(global: global, targetName: target, context: context, logger: Logger(label: "specsync"))
        let target = session.target
        let path = session.statePath
        let state = try await session.loadState()
        let style = global.style(context: context)

        switch global.format {
        case .json:
            var object = JSONObject()
            object["target"] = .string(target.name)
            object["state"] = .string(path)
            object["lastSyncedCommit"] = state?.lastSyncedCommit.map(JSONValue.string) ?? .null
            object["serial"] = .number(String(state?.serial ?? 0))
            object["bundles"] = .array((state?.bundles ?? [:]).sorted { $0.key < $1.key }.map { key, record in
                var entry = JSONObject()
                entry["bundle"] = .string(key)
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
                let mark = record.lastError == nil ? style.green("✓") : style.red("✗")
                var line = "  \(mark) \(key)  id \(record.id ?? "-")  updated \(updated)  hash \(record.bodyHash?.prefix(12) ?? "-")"
                if let error = record.lastError {
                    line += "\n      " + style.red("last error (\(record.consecutiveFailures)×): \(error)")
                }
                Output.standardOutput(line)
            }
        }
    }
}
