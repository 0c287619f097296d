import ArgumentParser
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine

struct StateRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Forget the records of bundles; the remote resources are not touched.",
        discussion: """
            The next sync treats a forgotten bundle that is still in git as new: it looks its name \
            up and creates it, or adopts the resource of this client that has the name.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    @Argument(help: ArgumentHelp("The bundles (folder names).", valueName: "bundle"))
    var bundles: [String]

    func run() async throws {
        try await StateChange.perform("rm", format: try global.plainFormat("state rm")) {
            let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
            let recorder = try await session.openRecorder()
            defer { recorder.close() }
            let state = await recorder.state
            let ids = bundles.map { BundleID($0) }
            let missing = ids.filter { state[$0] == nil }
            guard missing.isEmpty else {
                throw CommandFailure("the \(session.stateLocation) has no record for \(missing.map(\.source).joined(separator: ", ")); nothing was removed")
            }
            do {
                try await recorder.forgotten(ids)
                try await recorder.save()
            } catch { throw CommandFailure("\(error)") }
            let saved = await recorder.state
            return StateChange(
                verb: "rm", statePath: session.statePath, serial: saved.serial, lineage: saved.lineage, bundles: bundles,
                sentence: "Forgot \(ids.count) record\(ids.count == 1 ? "" : "s") in the \(session.stateLocation): \(bundles.joined(separator: ", "))")
        }
    }
}
