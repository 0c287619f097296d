import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncSourceRuntime
import SpecSyncJSON

struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Run a bundle's sourceSpec against the third-party API and show the records it brings back.",
        discussion: """
            BUNDLE is a bundle's folder or its connection spec file. The input file is one JSON \
            object: {"auth": {"type": "<an authSpec type>", <its properties>}, "params": {<the \
            sourceSpec's spec.properties values>}, "window": {"start": "<RFC 3339>", "end": "<RFC \
            3339>"}}; any string may be a $(env:NAME) or $(cred:NAME) reference, and every resolved \
            value and credential is masked in the output.

            The requests follow urlParams, headerParams, bodyParams, the auth type \
            (BasicAuthentication, or OAuth2RefreshCode's accessToken as a bearer token), \
            paginationParams (OFFSET, POINTER, CONTINUATION_TOKEN, PAGE, NONE) and scheduleParams; \
            --origin sends them to a stand-in of the API (scheme://host:port), path and query kept.

            Exit 0 when the run ends without an error diagnostic (warnings, such as a --max-pages \
            stop, allowed), 1 otherwise.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("A bundle's folder or its connection spec file.", valueName: "bundle"))
    var bundle: String

    @Option(name: .long, help: ArgumentHelp("The input file: auth, params and window.", valueName: "path"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("Send every request to this origin instead of the spec's host.", valueName: "url"))
    var origin: String?

    @Option(name: .long, help: ArgumentHelp("Pages to fetch at most.", valueName: "count"))
    var maxPages = PreviewLimits().maxPages

    @Option(name: .long, help: ArgumentHelp("Records to read at most.", valueName: "count"))
    var maxRecords = PreviewLimits().maxRecords

    @Option(name: .long, help: ArgumentHelp("Seconds the whole preview may take.", valueName: "seconds"))
    var deadline = 60

    func validate() throws {
        guard maxPages >= 1 else { throw ValidationError("--max-pages must be 1 or more, not \(maxPages)") }
        guard maxRecords >= 1 else { throw ValidationError("--max-records must be 1 or more, not \(maxRecords)") }
        guard deadline >= 1 else { throw ValidationError("--deadline must be 1 second or more, not \(deadline)") }
    }

    func run() async throws {
        let format = try global.plainFormat("preview")
        let context = CommandContext.process
        let specPath = try Self.specFile(bundle, currentDirectory: context.currentDirectory)
        let spec = try Self.readJSON(specPath, what: "connection spec")
        let inputPath = LocalPath.resolved(input, relativeTo: context.currentDirectory, home: context.environment["HOME"])
        let written = try Self.readJSON(inputPath, what: "input")
        let (resolved, unresolved) = BodyCustomization(secrets: SecretLookup(environment: context.environment)).resolvingReferences(in: written)
        if let first = unresolved.first {
            throw CommandFailure("\(input)#\(first.pointer): \(first.reference) is not defined; set the environment variable, or put the file in $CREDENTIALS_DIRECTORY")
        }
        let previewInput: PreviewInput
        do { previewInput = try PreviewInput(json: resolved) } catch { throw CommandFailure("\(input)\(error.pointer.tokens.isEmpty ? "" : "#\(error.pointer)"): \(error.message)") }

        let limits = PreviewLimits(maxPages: maxPages, maxRecords: maxRecords, deadline: .seconds(deadline))
        let result = await SourceRuntime.run(spec: spec, input: previewInput, origin: origin, limits: limits)
        let shown = Self.relative(specPath, to: context.currentDirectory)
        switch format {
        case .json:
            var object = result.json.objectValue ?? JSONObject()
            object["spec"] = .string(shown)
            Output.standardOutput(JSONValue.object(object).prettyPrinted())
        case .text:
            Output.standardOutput(Self.text(result, spec: shown, style: global.style(context: context)))
        }
        if result.hasErrors { throw ExitCode.failure }
    }

    static func text(_ result: PreviewResult, spec: String, style: TerminalStyle) -> String {
        var lines: [String] = []
        for request in result.requests { lines.append("  \(request)") }
        if !result.sample.isEmpty {
            lines.append("first \(result.sample.count) record\(result.sample.count == 1 ? "" : "s"):")
            for record in result.sample { lines.append("  " + record.compactText) }
        }
        if result.recordCount > 0 {
            lines.append("schema (--format json has it as JSON Schema):")
            lines += schemaLines(result.schema, path: "", required: true).map { "  " + $0 }
        }
        for diagnostic in result.diagnostics {
            let location = diagnostic.pointer.map { $0.tokens.isEmpty ? spec : "\(spec)#\($0)" } ?? spec
            var line = "\(location): \(diagnostic.severity.rawValue): \(diagnostic.message)"
            if let help = diagnostic.help { line += " (\(help))" }
            lines.append(diagnostic.severity == .error ? style.red(line) : line)
        }
        let summary = "\(result.pages) page\(result.pages == 1 ? "" : "s") fetched, \(result.recordCount) record\(result.recordCount == 1 ? "" : "s") from \(spec)"
        lines.append(result.hasErrors ? style.red(summary) : style.green(summary))
        return lines.joined(separator: "\n")
    }

    /// One line per member of the inferred schema: "member.merge_fields.FNAME: string".
    static func schemaLines(_ schema: JSONValue, path: String, required: Bool) -> [String] {
        var lines: [String] = []
        let type: String
        switch schema[JSONPointer("/type")] {
        case .string(let name)?: type = name
        case .array(let names)?: type = names.compactMap(\.stringValue).joined(separator: " | ")
        default: type = "any"
        }
        if !path.isEmpty {
            var line = "\(path): \(type)"
            if let format = schema[JSONPointer("/format")]?.stringValue { line += " (\(format))" }
            if !required { line += ", not in every record" }
            lines.append(line)
        }
        if let properties = schema[JSONPointer("/properties")]?.objectValue {
            let always = Set((schema[JSONPointer("/required")]?.arrayValue ?? []).compactMap(\.stringValue))
            for (key, member) in properties.members {
                lines += schemaLines(member, path: path.isEmpty ? key : "\(path).\(key)", required: always.contains(key))
            }
        }
        if let items = schema[JSONPointer("/items")], items[JSONPointer("/properties")] != nil {
            lines += schemaLines(items, path: path + "[]", required: true).dropFirst()
        }
        return lines
    }

    /// The connection spec a BUNDLE argument names: the file itself, or the one
    /// `*-connectionSpec.json` in the folder or its `Artifacts/`.
    static func specFile(_ argument: String, currentDirectory: String) throws -> String {
        let path = LocalPath.resolved(argument, relativeTo: currentDirectory, home: nil)
        if LocalPath.isDirectory(path) {
            for folder in [LocalPath.join(path, "Artifacts"), path] where LocalPath.isDirectory(folder) {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix("-connectionSpec.json") }.sorted()
                if names.count == 1 { return LocalPath.join(folder, names[0]) }
                if names.count > 1 { throw CommandFailure("\(argument) holds \(names.count) connection specs (\(names.joined(separator: ", "))); name the file") }
            }
            throw CommandFailure("\(argument) holds no *-connectionSpec.json (nor its Artifacts folder); point BUNDLE at a bundle's folder or spec file")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw CommandFailure("\(argument): no such file or folder") }
        return path
    }

    static func readJSON(_ path: String, what: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read the \(what) \(path)") }
        do { return try JSONParser().parse(Array(data)) } catch {
            throw CommandFailure("\(path):\(error.line):\(error.column): the \(what) is not valid JSON: \(error.message)")
        }
    }

    static func relative(_ path: String, to directory: String) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
