import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncCore
import SpecSyncSystemd

@main
struct SpecSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "specsync",
        abstract: "Keep connector specifications stored in git in sync with the APIs that serve them.",
        discussion: """
            Without a configuration file the current directory is the repository and the defaults
            apply, as with git. A configuration is read from --config, $SPECSYNC_CONFIG or
            ./specsync.yaml; SPECSYNC_… environment variables override its values.

            Exit codes: 0 success, 1 error (or, for validate, any error diagnostic), 2 changes
            pending (plan --detailed-exitcode).
            """,
        version: SpecSyncVersion.current,
        subcommands: [ValidateCommand.self, PlanCommand.self, SyncCommand.self, StatusCommand.self, StateCommand.self, ImportCommand.self, AdoptCommand.self, EmulatorCommand.self]
    )

    /// ArgumentParser's entry point, except that a failure's message passes through the secret
    /// registry: an error that quotes a server's echo of a credential prints "(sensitive)".
    static func main() async {
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
