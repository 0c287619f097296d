import ArgumentParser
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine

struct StateRebindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebind",
        abstract: "Bind a target's state to the account the configuration now names.",
        discussion: """
            A state belongs to one remote account (Flow Service org and sandbox, Versori organisation). \
            When a target really moved (the same specs now live under another org or sandbox), this \
            makes the state the new account's; every other command refuses a state of another account. \
            A change of address alone (a proxy, a port) needs no rebind.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    func run() async throws {
        try await StateChange.perform("rebind", format: try global.plainFormat("state rebind")) {
            let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
            // Opened without the identity check: this verb exists to change it.
            let opened: StateRecorder?
            do { opened = try await StateRecorder.openWhateverRemote(backend: session.makeBackend()) } catch { throw CommandFailure("\(error)") }
            guard let recorder = opened else { throw CommandFailure("there is no \(session.stateLocation) to rebind") }
            defer { recorder.close() }
            let previous = await recorder.state.target
            do { try await recorder.rebound(to: session.target.identity) } catch { throw CommandFailure("\(error)") }
            let saved = await recorder.state
            return StateChange(
                verb: "rebind", statePath: session.statePath, serial: saved.serial, lineage: saved.lineage,
                details: [("previous", "\(previous)"), ("account", "\(session.target.identity)")],
                sentence: "Bound the \(session.stateLocation) to \(session.target.identity) (was \(previous))")
        }
    }
}
