import ArgumentParser
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine

struct StateMoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mv",
        abstract: "Move a record to another bundle id; the remote resource is not touched.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    @Argument(help: ArgumentHelp("The bundle whose record moves.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The bundle it moves to.", valueName: "new"))
    var new: String

    func run() async throws {
        try await StateChange.perform("mv", format: try global.plainFormat("state mv")) {
            let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
            let recorder = try await session.openRecorder()
            defer { recorder.close() }
            do {
                try await recorder.moved(BundleID(old), to: BundleID(new))
                try await recorder.save()
            } catch { throw CommandFailure("cannot move the record in the \(session.stateLocation): \(error)") }
            let saved = await recorder.state
            return StateChange(
                verb: "mv", statePath: session.statePath, serial: saved.serial, lineage: saved.lineage, bundles: [old, new],
                details: [("from", old), ("to", new)],
                sentence: "Moved the record of \(old) to \(new) in the \(session.stateLocation)")
        }
    }
}
