import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncGit
import SpecSyncJSON
import SpecSyncSource

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every bundle and print all diagnostics.",
        discussion: """
            PATH is a folder holding the bundle root (checks all bundles) or a bundle's folder or file \
            (checks that bundle); the files are read from disk, uncommitted edits included. --rev \
            checks a commit of the configured repository instead. With neither, the configured \
            repository's files on disk are checked, or its ref when it is bare.

            --format github prints GitHub Actions workflow commands (annotations on the pull \
            request's lines); --format sarif prints a SARIF 2.1.0 log for code scanning. Every format \
            reports the same findings.

            Exit 0 when no bundle has an error, 1 otherwise.
            """)

    /// validate's own formats: besides text and JSON, the two that CI systems read. The shared
    /// options' `--format` knows text and JSON only, so validate declares these three itself.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, github, sarif
    }

    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Output format: text, json, github (workflow commands) or sarif (SARIF 2.1.0).", valueName: "format"))
    var format: Format = .text

    @Flag(name: .long, help: "Never colour the output (also: NO_COLOR).")
    var noColor = false

    @Argument(help: ArgumentHelp("A repository folder, or a bundle's folder or file.", valueName: "path"))
    var path: String?

    @Option(name: .long, help: ArgumentHelp("Validate this commit instead of files on disk.", valueName: "rev"))
    var rev: String?

    @Option(name: .long, help: ArgumentHelp("Check the bundles of this target's kind and folder (default: the default target's, else bundles.root).", valueName: "name"))
    var target: String?

    func validate() throws {
        if path != nil && rev != nil { throw ValidationError("give either a PATH or --rev, not both") }
    }

    func run() async throws {
        let context = CommandContext.process
        let configuration: Configuration
        do {
            configuration = try ConfigurationLoader(environment: context.environment, currentDirectory: context.currentDirectory).load(path: config)
        } catch { throw CommandFailure(error.description) }
        let layout = try Self.layout(configuration: configuration, target: target)
        // Secrets are resolved where they are available; where they are not (CI), a reference is
        // checked for form only: the sync that needs it reports it as an error.
        let evaluator = BundleEvaluator(
            layout: layout, customization: BodyCustomization(secrets: SecretLookup(environment: context.environment), undefinedSecretsAreErrors: false))

        let (source, only) = try await selectSource(configuration: configuration, layout: layout, context: context)
        let ids: [BundleID]
        if let only { ids = [only] } else { ids = try await source.bundleIDs() }
        let bundles = try await source.bundles(ids)
        let evaluated = await evaluator.evaluate(bundles, lanes: BundleEvaluator.defaultLanes)
        let diagnostics = DiagnosticRenderer.sorted(evaluated.flatMap(\.diagnostics))
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors

        let withErrors = evaluated.filter { $0.diagnostics.hasErrors }.count
        let summary = "\(evaluated.count) bundle\(evaluated.count == 1 ? "" : "s") checked in \(source.label): "
            + "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            + (withErrors > 0 ? " (\(withErrors) bundle\(withErrors == 1 ? "" : "s") will not be synced)" : "")
        switch format {
        case .json:
            var object = JSONObject()
            object["source"] = .string(source.label)
            object["bundles"] = .number(String(evaluated.count))
            object["errors"] = .number(String(errors))
            object["warnings"] = .number(String(warnings))
            object["valid"] = .bool(errors == 0)
            object["diagnostics"] = .array(diagnostics.map(DiagnosticRenderer.json))
            Output.standardOutput(JSONValue.object(object).prettyPrinted())
        case .text:
            let style = TerminalStyle(enabled: !noColor && context.colorAllowed)
            if !diagnostics.isEmpty { Output.standardOutput(DiagnosticRenderer(style: style).text(diagnostics)) }
            Output.standardOutput(errors > 0 ? style.red(summary) : style.green(summary))
        case .github:
            // A line that is not a command shows in the job's log as it is: the summary.
            if !diagnostics.isEmpty { Output.standardOutput(GitHubAnnotationRenderer().text(Self.located(diagnostics, in: bundles))) }
            Output.standardOutput(summary)
        case .sarif:
            Output.standardOutput(SARIFRenderer(version: SpecSyncVersion.current).log(Self.located(diagnostics, in: bundles)).prettyPrinted())
        }
        if errors > 0 { throw ExitCode.failure }
    }

    /// Findings about a value given the line and column of its pointer in the file, for the formats
    /// whose readers place a finding by line only (annotations, code scanning).
    static func located(_ diagnostics: [Diagnostic], in bundles: [SpecBundle]) -> [Diagnostic] {
        let files = Dictionary(bundles.flatMap { $0.files.values.map { ($0.path, $0.bytes) } }, uniquingKeysWith: { first, _ in first })
        return diagnostics.map { diagnostic in files[diagnostic.file].map { diagnostic.locating(in: $0) } ?? diagnostic }
    }

    /// The layout of the target named, else of the default target, else `bundles.root`'s.
    static func layout(configuration: Configuration, target: String?) throws -> BundleLayout {
        if let target {
            do { return try configuration.target(named: target).layout(bundles: configuration.bundles) } catch { throw CommandFailure(error.description) }
        }
        return (try? configuration.target(named: nil))?.layout(bundles: configuration.bundles) ?? configuration.bundles.layout
    }

    /// The files to check and, when PATH names one bundle, that bundle.
    func selectSource(configuration: Configuration, layout: BundleLayout, context: CommandContext) async throws -> (any BundleSource, BundleID?) {
        if let rev {
            return (try await RepositoryOpener.commitSource(configuration: configuration, revision: rev, layout: layout), nil)
        }
        if let path {
            let absolute = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: context.currentDirectory, isDirectory: true)).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: absolute) else {
                throw CommandFailure("\(path): no such file or folder")
            }
            guard let (directory, bundle) = Self.locate(absolute, layout: layout) else {
                throw CommandFailure("\(path) holds no '\(layout.root)' folder and is not inside one; point PATH at the repository or a bundle, or set bundles.root")
            }
            return (DirectorySource(directory: directory, layout: layout), bundle)
        }
        let repository = configuration.repository.path
        let root = LocalPath.join(repository, layout.root)
        if LocalPath.isDirectory(root) {
            return (DirectorySource(directory: repository, layout: layout), nil)
        }
        return (try await RepositoryOpener.commitSource(configuration: configuration, revision: configuration.repository.ref, layout: layout), nil)
    }

    /// The folder containing the bundle root for `path`, and the bundle when `path` is inside one.
    static func locate(_ path: String, layout: BundleLayout) -> (String, BundleID?)? {
        var candidate = path
        while true {
            let root = LocalPath.join(candidate, layout.root)
            if FileManager.default.fileExists(atPath: root) {
                if path == candidate { return (candidate, nil) }
                let relative = String(path.dropFirst(candidate.count + 1))
                if let bundle = layout.bundle(containing: relative) { return (candidate, bundle) }
                if relative == layout.root { return (candidate, nil) }
            }
            let parent = LocalPath.parent(of: candidate)
            if parent == candidate || parent.isEmpty { return nil }
            candidate = parent
        }
    }
}
