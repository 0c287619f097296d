import ArgumentParser

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
}
