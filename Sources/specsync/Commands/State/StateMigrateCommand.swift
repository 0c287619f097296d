import ArgumentParser
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine

struct StateMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a target's state between the file and PostgreSQL backends, losslessly.",
        discussion: """
            --to postgres copies the state file into state.postgres; --to file copies the PostgreSQL \
            state into the state file in state.directory. Lineage, serial, records, pending and \
            waiting lists move as they are; both sides are locked while it runs, and the copy is \
            read back and compared before it is reported. The source is left untouched (a rollback \
            point). Refused when the destination already holds a state, unless --force. Afterwards \
            set state.backend in the configuration and restart every specsync that uses it.
            """)

    enum Destination: String, ExpressibleByArgument, CaseIterable {
        case postgres, file
    }

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The target (default: the only or default target).", valueName: "name"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("The backend to copy the state to: postgres or file.", valueName: "backend"))
    var to: Destination

    @Flag(name: .long, help: "Replace a state the destination already holds.")
    var force = false

    func run() async throws {
        let session = try TargetSession(global: global, targetName: target, context: .process, logger: Logger(label: "specsync"))
        let (from, into): (StateBackendKind, StateBackendKind) = to == .postgres ? (.file, .postgres) : (.postgres, .file)
        let source = try await open(session, from)
        defer { source.close() }
        guard await source.existed else { throw CommandFailure("there is no state in the \(source.location) to migrate") }
        let destination = try await open(session, into)
        defer { destination.close() }
        let state = await source.state
        if await destination.existed && !force {
            let current = await destination.state
            throw CommandFailure("the \(destination.location) already holds a state (lineage \(current.lineage), serial \(current.serial), \(current.bundles.count) records); nothing was written (--force to replace it with the \(source.location))")
        }
        do { try await destination.replaced(with: state) } catch { throw CommandFailure("\(error)") }

        // Read back through a backend of its own, as the next run will.
        let copied: SyncState?
        do { copied = try await session.makeBackend(into).load(isolation: #isolation) } catch { throw CommandFailure("\(error)") }
        guard let copied, copied.lineage == state.lineage, copied.bundles.dictionary == state.bundles.dictionary,
              copied.bundles.pendingKeys == state.bundles.pendingKeys, copied.registration == state.registration,
              copied.lastSyncedCommit == state.lastSyncedCommit, copied.inputsFingerprint == state.inputsFingerprint else {
            throw CommandFailure("the copy in the \(destination.location) does not read back as the \(source.location); keep state.backend as it is and report this as a bug")
        }
        Output.standardOutput("""
            Migrated the state of \(state.bundles.count) bundle\(state.bundles.count == 1 ? "" : "s") from the \(source.location) to the \(destination.location) (lineage \(copied.lineage), serial \(copied.serial)).
            The source is unchanged. Next: set state.backend: \(into.rawValue) in the configuration and restart every specsync that uses it.
            """)
    }

    private func open(_ session: TargetSession, _ kind: StateBackendKind) async throws -> StateRecorder {
        do {
            return try await StateRecorder.open(backend: session.makeBackend(kind), for: session.target.identity)
        } catch let error as CommandFailure { throw error } catch { throw CommandFailure("\(error)") }
    }
}
