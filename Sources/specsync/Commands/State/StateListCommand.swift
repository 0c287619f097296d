import ArgumentParser
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncJSON

struct StateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the bundles the state records, one line each. Reads only the state.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    func run() async throws {
        let format = try global.plainFormat("state list")
        let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
        let records = (try await session.loadState()?.bundles ?? [:]).sorted { BundleID($0.key) < BundleID($1.key) }
        switch format {
        case .json:
            Output.standardOutput(JSONValue.array(records.map { key, record in
                .object(JSONObject([
                    "bundle": .string(key), "id": record.id.map(JSONValue.string) ?? .null,
                    "name": record.name.map(JSONValue.string) ?? .null,
                    "status": .string(StateRecordText.status(of: record)),
                ]))
            }).prettyPrinted())
        case .text:
            for (key, record) in records {
                Output.standardOutput("\(key)\t\(record.id ?? "-")\t\(StateRecordText.status(of: record))")
            }
        }
    }
}
