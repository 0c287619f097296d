import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncCore

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Output format.", valueName: "format"))
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Never colour the output (also: NO_COLOR).")
    var noColor = false

    func loadConfiguration(context: CommandContext) throws -> Configuration {
        do {
            return try ConfigurationLoader(environment: context.environment, currentDirectory: context.currentDirectory)
                .load(path: config)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    func style(context: CommandContext) -> TerminalStyle {
        TerminalStyle(enabled: !noColor && format == .text && context.colorAllowed)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
