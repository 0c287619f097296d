import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine
import SpecSyncGit
import SpecSyncJSON
import SpecSyncTargets

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring a connection spec that exists remotely under specsync: write its bundle and record it.",
        discussion: """
            Reads the spec (GET only, by --id or by exact --name) and writes \
            <root>/<bundle>/Artifacts/<bundle>-connectionSpec.json into the configured repository's \
            work tree: the spec as the server returned it, without the fields the server owns and \
            without permissionsInfo. The label, description and category sidecars are derived from \
            sourceSpec.attributes.uiAttributes when that changes nothing in the body; the icon is never \
            imported and must be added by hand. The bundle is then recorded in the target's state with \
            the hash of the body specsync computes from the written files, so that once they are \
            committed `plan` shows it unchanged and `sync` sends nothing. The last synced commit is \
            not moved. The bundle folder is --bundle, or else derived from the spec's name; an existing \
            folder is overwritten only with --force.

            By --name only a spec this client created is found; --include-foreign also finds one of \
            this org that another client created. --id imports a spec of this org whoever created \
            it. A spec of another org (Adobe's catalogue) is never imported: specsync could not \
            write to it.

            Exit 0 when imported, 1 on any error.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The exact name of the remote spec.", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("The id of the remote spec.", valueName: "id"))
    var id: String?

    @Option(name: .long, help: ArgumentHelp("The target to read from (default: the only or default target).", valueName: "name"))
    var target: String?

    @Option(name: .long, help: ArgumentHelp("The bundle folder to write (default: derived from the spec's name).", valueName: "source"))
    var bundle: String?

    @Flag(name: .long, help: "Overwrite an existing bundle folder and its state record.")
    var force = false

    @Flag(name: .long, help: "With --name, also find a spec of this org that another client created.")
    var includeForeign = false

    func validate() throws {
        if (name == nil) == (id == nil) { throw ValidationError("give exactly one of --name NAME or --id ID") }
        if let name, name.isEmpty { throw ValidationError("--name is empty") }
        if let id, id.isEmpty { throw ValidationError("--id is empty") }
        if let bundle, let problem = SpecImporter.problem(withBundleName: bundle) { throw ValidationError("--bundle: \(problem)") }
    }

    func run() async throws {
        let format = try global.plainFormat("import")
        let context = CommandContext.process
        LoggingSetup.bootstrap(level: .warning)
        let session = try TargetSession(global: global, targetName: target, context: context, logger: Logger(label: "specsync"))
        let configuration = session.configuration
        guard session.target.kind == .flowService else {
            throw CommandFailure("import writes connection spec bundles and works for flowService targets only; for a \(session.target.kind.rawValue) connection, save its JSON under \(session.layout.root)/ and run `specsync adopt --target \(session.target.name)` to link it")
        }
        let importer = SpecImporter(layout: configuration.bundles.layout)

        let repository = try await RepositoryOpener.open(configuration)
        guard !(await repository.isBare), let workDirectory = await repository.workDirectory else {
            let origin = configuration.repository.url.map { " (specsync's clone of \($0))" } ?? ""
            throw CommandFailure("the repository at \(configuration.repository.path)\(origin) is bare: import writes files into a work tree; run it in a clone with a work tree (set repository.path or SPECSYNC_REPOSITORY_PATH to it), then commit and push the files")
        }
        let workTree = workDirectory.hasSuffix("/") && workDirectory.count > 1 ? String(workDirectory.dropLast()) : workDirectory

        guard let client = try session.client(readOnly: true, context: context) as? FlowServiceClient else {
            throw CommandFailure("target \(session.target.name) is not a Flow Service target")
        }
        let remote = try await fetch(client, target: session.target)
        let bundleName: String
        if let bundle {
            bundleName = bundle
        } else {
            guard let specName = remote.name, let derived = SpecImporter.bundleName(forSpecName: specName) else {
                throw CommandFailure("cannot derive a bundle folder from the spec's name \(remote.name.map { "'\($0)'" } ?? "(none)"); choose one with --bundle")
            }
            bundleName = derived
        }
        let bundleID = BundleID(bundleName)
        let folder = configuration.bundles.layout.bundleFolder(bundleID)

        let recorder = try await session.openRecorder()
        defer { recorder.close() }
        let state = await recorder.state

        // Everything that could refuse the import is checked before anything is written.
        if importer.exists(bundleID, in: workTree) && !force {
            throw CommandFailure("\(folder) already exists in \(workTree); use --force to overwrite it, or choose another folder with --bundle")
        }
        if let record = state[bundleID], let recorded = record.id, recorded != remote.id, !force {
            throw CommandFailure("the \(session.stateLocation) records bundle \(bundleName) as the remote spec \(recorded), not \(remote.id); use --force to replace that record, or choose another folder with --bundle")
        }
        if let other = state.bundles.first(where: { $0.key != bundleName && $0.value.id == remote.id })?.key {
            throw CommandFailure("the remote spec \(remote.id) is already recorded for bundle \(other) in the \(session.stateLocation); a spec belongs to one bundle: use that bundle, or remove its record first")
        }
        if let specName = remote.name {
            let clashes: [BundleID]
            do { clashes = try await importer.bundles(named: specName, in: workTree, excluding: bundleID) } catch {
                throw CommandFailure("cannot read the bundles in \(workTree): \(error)")
            }
            if !clashes.isEmpty {
                throw CommandFailure("bundle \(clashes.map(\.source).joined(separator: ", ")) in \(workTree) already holds a spec named '\(specName)'; Flow Service finds specs by name, so two bundles cannot share one: link that bundle with `specsync adopt` instead")
            }
        }

        let built: SpecImporter.Bundle
        do { built = try importer.bundle(from: remote, as: bundleID) } catch { throw CommandFailure(error.description) }
        let paths: (written: [String], removed: [String])
        do { paths = try importer.write(built, into: workTree) } catch { throw CommandFailure(error.description) }
        let evaluated: EvaluatedBundle
        do { evaluated = try await importer.evaluateWritten(bundleID, in: workTree) } catch {
            throw CommandFailure("the bundle was written but cannot be read back: \(error)")
        }
        guard let body = evaluated.body else {
            let errors = evaluated.diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "; ")
            throw CommandFailure("the bundle was written to \(folder) but specsync cannot compute a body from it (\(errors)); nothing was recorded")
        }
        var warnings: [String] = []
        if body.hash != built.expectedHash {
            warnings.append("the body computed from the files differs from the remote spec; the next sync will send it")
        }
        do {
            try await recorder.imported(bundle: bundleID, record: SpecImporter.record(for: remote, bodyHash: body.hash))
            try await recorder.save()
        } catch { throw CommandFailure("\(error)") }

        if !built.passwordValues.isEmpty {
            warnings.append("the spec holds values for password properties at \(built.passwordValues.map(\.description).joined(separator: ", ")): review them before committing; a secret belongs in $(env:NAME) or $(cred:NAME), not in git")
        }
        let errors = evaluated.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            warnings.append("the bundle has errors, so plan and sync will report it invalid until they are fixed: "
                + errors.map(\.description).joined(separator: "; "))
        }
        let iconPath = configuration.bundles.layout.path(of: .icon, in: bundleID)
        let iconPresent = FileManager.default.fileExists(atPath: LocalPath.join(workTree, iconPath))
        let next = Self.nextStep(folder: folder, workTree: workTree, currentDirectory: context.currentDirectory,
                                 message: "Import \(remote.name ?? remote.id) from \(session.target.name)")

        switch format {
        case .text:
            let style = global.style(context: context)
            var lines: [String] = []
            lines.append(style.bold("Imported \(remote.name.map { "'\($0)'" } ?? "spec") (\(remote.id)) from \(session.target.name) as bundle \(bundleName)"))
            for path in paths.written { lines.append(style.green("  + wrote    \(path)")) }
            for path in paths.removed { lines.append(style.yellow("  - removed  \(path)") + style.dim(" (not derived from the remote spec)")) }
            for skipped in built.skipped {
                lines.append(style.dim("  · skipped  \(configuration.bundles.layout.path(of: skipped.kind, in: bundleID)): \(skipped.reason)"))
            }
            lines.append("  recorded   \(bundleName) → \(remote.id) in the \(session.stateLocation) (body hash \(body.hash.prefix(12)))")
            if !iconPresent {
                lines.append(style.yellow("  the icon is not imported: add \(iconPath) by hand (an SVG under 1 MiB)"))
            }
            for warning in warnings { lines.append(style.yellow("  warning: \(warning)")) }
            lines.append("Next: \(next)")
            Output.standardOutput(lines.joined(separator: "\n"))
        case .json:
            var object = JSONObject()
            object["target"] = .string(session.target.name)
            object["bundle"] = .string(bundleName)
            object["id"] = .string(remote.id)
            object["name"] = remote.name.map(JSONValue.string) ?? .null
            object["folder"] = .string(folder)
            object["written"] = .array(paths.written.map(JSONValue.string))
            object["removed"] = .array(paths.removed.map(JSONValue.string))
            object["skipped"] = .array(built.skipped.map { skipped in
                .object(JSONObject([
                    "file": .string(configuration.bundles.layout.path(of: skipped.kind, in: bundleID)),
                    "reason": .string(skipped.reason),
                ]))
            })
            object["icon"] = iconPresent ? .string(iconPath) : .null
            object["bodyHash"] = .string(body.hash)
            object["state"] = .string(session.statePath)
            object["warnings"] = .array(warnings.map(JSONValue.string))
            object["next"] = .string(next)
            Output.standardOutput(JSONValue.object(object).prettyPrinted())
        }
    }

    /// The remote spec asked for: by id, or the one spec with exactly the name.
    func fetch(_ client: FlowServiceClient, target: TargetSettings) async throws -> RemoteSpec {
        do {
            if let id {
                guard let spec = try await client.connectionSpec(id: id) else {
                    throw CommandFailure("no connection spec with id \(id) in \(target.name) (\(target.identity.identity))")
                }
                if case .otherOrg = SpecOwnership(of: spec, owner: client.owner) {
                    throw CommandFailure("the connection spec \(id) is \(SpecOwnership(of: spec, owner: client.owner).creator), not of \(client.endpoint.orgID): specsync cannot write to it, so it cannot be imported")
                }
                return spec
            }
            let name = name ?? ""
            let (found, skipped) = SpecOwnership.linkable(
                try await client.connectionSpecs(named: name), owner: client.owner, includeForeign: includeForeign)
            switch found.count {
            case 0 where !skipped.isEmpty:
                let hint = skipped.contains { $0.1.isLinkableWhenAsked }
                    ? ": add --include-foreign to import one of this org, or choose it with --id" : ""
                throw CommandFailure("no connection spec this client created is named '\(name)' in \(target.name); specs specsync did not create have the name: \(SpecOwnership.describe(skipped))\(hint)")
            case 0:
                throw CommandFailure("no connection spec is named '\(name)' in \(target.name) (\(target.identity.identity)); names are matched exactly")
            case 1:
                return found[0]
            default:
                throw CommandFailure("\(found.count) connection specs are named '\(name)' in \(target.name): \(found.map(\.id).joined(separator: ", ")); choose one with --id")
            }
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("cannot read the target \(target.name): \(error)")
        }
    }

    /// The git commands that put the bundle under version control.
    static func nextStep(folder: String, workTree: String, currentDirectory: String, message: String) -> String {
        let here = URL(fileURLWithPath: currentDirectory).standardizedFileURL.resolvingSymlinksInPath().path
        let tree = URL(fileURLWithPath: workTree).standardizedFileURL.resolvingSymlinksInPath().path
        let git = here == tree ? "git" : "git -C \(shellQuoted(workTree))"
        return "\(git) add \(shellQuoted(folder)) && \(git) commit -m \(shellQuoted(message))"
    }

    static func shellQuoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@+,".unicodeScalars)
        if !text.isEmpty && text.unicodeScalars.allSatisfy(safe.contains) { return text }
        return "'" + text.replacing("'", with: #"'\''"#) + "'"
    }
}
