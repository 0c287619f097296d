#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncSystemd

/// What a command reads from the process it runs in; tests of the commands run the real binary.
struct CommandContext: Sendable {
    var environment: [String: String]
    var currentDirectory: String
    var standardOutputIsTerminal: Bool
    var standardErrorIsTerminal: Bool

    static var process: CommandContext {
        CommandContext(
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath,
            standardOutputIsTerminal: isatty(STDOUT_FILENO) == 1,
            standardErrorIsTerminal: isatty(STDERR_FILENO) == 1)
    }

    /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org) or TERM is dumb.
    var colorAllowed: Bool {
        standardOutputIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }
}

/// A failure already phrased for the user: printed as is, exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// Where commands write for the user, known secret values hidden.
enum Output {
    static func standardError(_ text: String) {
        StandardStream.error.write(SecretRegistry.shared.redact(text) + "\n")
    }

    static func standardOutput(_ text: String) {
        print(SecretRegistry.shared.redact(text))
    }
}
