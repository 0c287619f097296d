import ArgumentParser

/// `specsync state …`: look at and manage a target's state without editing its file by hand.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect and manage a target's state: list, show, rm, mv, pull, push, unlock, rebind, migrate.",
        discussion: """
            Every verb that changes the state takes the state lock and writes through the same \
            recorder as sync, so a change is crash-safe and never races a running sync. None of them \
            touches the remote.
            """,
        subcommands: [
            StateListCommand.self, StateShowCommand.self, StateRemoveCommand.self, StateMoveCommand.self, StatePullCommand.self,
            StatePushCommand.self, StateUnlockCommand.self, StateRebindCommand.self, StateMigrateCommand.self,
        ])
}
