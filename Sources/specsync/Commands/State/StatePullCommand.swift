import ArgumentParser
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncSystemd

struct StatePullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Print the whole state as one JSON document (for a CI cache or artifact). Reads only the state.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    func run() async throws {
        let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
        guard let state = try await session.loadState() else {
            throw CommandFailure("there is no state for target \(session.target.name) in the \(session.stateLocation) yet: nothing has been synced")
        }
        StandardStream.output.write(String(decoding: StateStore.document(of: state), as: UTF8.self))
    }
}
