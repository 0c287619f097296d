import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncService
import SpecSyncSystemd

@main
struct SpecSync: AsyncParsableCommand {
    // Paragraphs are single lines in the text (the trailing backslashes): ArgumentParser wraps them
    // to the terminal, and a hard line break in the source would show as a broken sentence.
    static let configuration = CommandConfiguration(
        commandName: "specsync",
        abstract: "Keep connector specifications stored in git in sync with the APIs that serve them.",
        discussion: """
            Without a configuration file the current directory is the repository and the defaults \
            apply, as with git. A configuration is read from --config, $SPECSYNC_CONFIG or \
            ./specsync.yaml; SPECSYNC_… environment variables override its values.

            Before enabling the service, run specsync check: it tries every secret, token, API, \
            flow spec and the repository and says what to fix.

            Exit codes: 0 success; 1 error (for validate: any error diagnostic; for check: any \
            failed check); 2 changes pending (plan --detailed-exitcode); 3 not in sync after the \
            pass (sync --once: a bundle failed or was refused; adopt: a spec needs attention); 64 \
            usage error (an unknown option, a missing or invalid argument).
            """,
        version: SpecSyncVersion.current,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, SyncCommand.self, StatusCommand.self, StateCommand.self, CheckCommand.self,
            ImportCommand.self, AdoptCommand.self, PreviewCommand.self, VerifyCommand.self, EmulatorCommand.self,
        ]
    )

    /// ArgumentParser's entry point, except that a failure's message passes through the secret
    /// registry: an error that quotes a server's echo of a credential prints "(sensitive)".
    static func main() async {
        // `--version` alone is answered before ArgumentParser builds the command tree: reflecting
        // over the options and the conformance lookups that start took a fifth of its CPU.
        if CommandLine.arguments.count == 2 && CommandLine.arguments[1] == "--version" {
            StandardStream.output.write(SpecSyncVersion.current + "\n")
            return
        }
        HeapTrim.fixLargeAllocationThreshold()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let message = fullMessage(for: error)
            let redacted = SecretRegistry.shared.redact(message)
            // Help, usage errors and exit codes stay ArgumentParser's own when nothing is hidden.
            guard redacted != message else { exit(withError: error) }
            StandardStream.error.write(redacted + "\n")
            Glibc.exit(exitCode(for: error).rawValue)
        }
    }
}
