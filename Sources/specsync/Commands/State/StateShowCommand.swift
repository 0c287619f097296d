import ArgumentParser
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncJSON

struct StateShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show everything the state records for one bundle. Reads only the state.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    @Argument(help: ArgumentHelp("The bundle (its folder name).", valueName: "bundle"))
    var bundle: String

    func run() async throws {
        let format = try global.plainFormat("state show")
        let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
        guard let record = try await session.loadState()?[BundleID(bundle)] else {
            throw CommandFailure("the \(session.stateLocation) has no record for bundle \(bundle); `specsync state list` shows the recorded ones")
        }
        let object = StateRecordText.json(bundle: bundle, record)
        switch format {
        case .json: Output.standardOutput(JSONValue.object(object).prettyPrinted())
        case .text: for (key, value) in object.members { Output.standardOutput("\(key): \(value.compactText)") }
        }
    }
}
