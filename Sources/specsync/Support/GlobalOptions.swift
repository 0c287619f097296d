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

    /// `--format` for `command`, which prints text or JSON only: refused before the command does anything.
    func plainFormat(_ command: String) throws -> PlainFormat {
        switch format {
        case .text: return .text
        case .json: return .json
        case .markdown: throw CommandFailure("--format markdown is for `specsync plan` (a pull-request comment); `specsync \(command)` prints text or json")
        }
    }

    func style(context: CommandContext) -> TerminalStyle {
        TerminalStyle(enabled: !noColor && format == .text && context.colorAllowed)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
    /// `plan` only: a pull-request comment.
    case markdown
}

/// The formats of the commands that print text or JSON only.
enum PlainFormat {
    case text, json
}
