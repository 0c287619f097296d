import ArgumentParser
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine

struct StateUnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Clear the state lock of a holder that is gone; a live holder is refused, by name.",
        discussion: """
            The file backend's lock is an flock that the kernel releases when its holder dies, so a \
            lock left by a killed run clears itself; this verb says who holds it, and tidies the \
            holder line a dead run left behind.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    func run() async throws {
        try await StateChange.perform("unlock", format: try global.plainFormat("state unlock")) {
            let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
            do { try await StateRecorder.probeLock(backend: session.makeBackend()) } catch {
                throw CommandFailure("\(error); unlock refuses a live holder")
            }
            return StateChange(
                verb: "unlock", statePath: session.statePath, details: [("lock", "free")],
                sentence: "The state lock of the \(session.stateLocation) is not held (any holder line a dead run left is cleared)")
        }
    }
}
