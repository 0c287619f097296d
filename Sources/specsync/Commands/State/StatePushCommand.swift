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

struct StatePushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Replace the state with a JSON document read from standard input (from `state pull`).",
        discussion: """
            Refused when the document is of another account, of another lineage (another state's \
            history), or older than the state it would replace (a lower serial), unless --force. The \
            pushed state is written at once with a serial past the one it replaces.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    @Flag(name: .long, help: "Push an older serial or another lineage all the same.")
    var force = false

    func run() async throws {
        try await StateChange.perform("push", format: try global.plainFormat("state push")) {
            let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
            let bytes = StandardInput.readAll()
            let pushed: SyncState
            do { pushed = try StateStore.state(fromDocument: bytes, source: "standard input") } catch { throw CommandFailure("\(error)") }
            guard pushed.target.isSameRemote(as: session.target.identity) else {
                throw CommandFailure("the pushed state belongs to \(pushed.target), not to \(session.target.identity); nothing was written")
            }
            let recorder = try await session.openRecorder()
            defer { recorder.close() }
            let current = await recorder.state
            if await recorder.existed && !force {
                if pushed.lineage != current.lineage {
                    throw CommandFailure("the pushed state is of lineage \(pushed.lineage), the \(session.stateLocation) of \(current.lineage): another state's history; nothing was written (--force to replace it anyway)")
                }
                if pushed.serial < current.serial {
                    throw CommandFailure("the pushed state has serial \(pushed.serial), older than the \(current.serial) in the \(session.stateLocation); nothing was written (--force to replace it anyway)")
                }
            }
            do { try await recorder.replaced(with: pushed) } catch { throw CommandFailure("\(error)") }
            let saved = await recorder.state
            return StateChange(
                verb: "push", statePath: session.statePath, serial: saved.serial, lineage: saved.lineage,
                bundles: pushed.bundles.keys.sorted { BundleID($0) < BundleID($1) },
                sentence: "Pushed the state of \(pushed.bundles.count) bundle\(pushed.bundles.count == 1 ? "" : "s") to the \(session.stateLocation), serial \(saved.serial)")
        }
    }
}
