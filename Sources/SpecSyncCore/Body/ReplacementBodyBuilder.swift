#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncJSON

/// Turns a bundle's files into its full replacement body. A pure function of the files and the
/// layout: the same commit always gives the same bytes.
public struct ReplacementBodyBuilder: Sendable {
    /// Fields the server sets; they never belong in a request body. Dropping them lets a pasted GET
    /// response serve as a spec.
    public static let serverOwnedFields: [String] = [
        "id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient",
        "sandboxId", "sandboxName", "imsOrgId", "etag",
    ]

    /// The server-owned fields of each resource's documents.
    public static func serverOwnedFields(of resource: ResourceKind) -> [String] {
        switch resource {
        case .connectionSpec: serverOwnedFields
        case .flxpointConnection: ["id", "connectionTypeId", "connectionTypeName", "requiresConnectionToTest"]
        case .versoriConnection: ["id", "createdAt", "updatedAt"]
        }
    }

    /// The template's stand-in for a description (seed 002): treated as missing.
    public static let descriptionPlaceholder = "{DESCRIPTION}"

    static let uiAttributesPath = ["sourceSpec", "attributes", "uiAttributes"]

    public let layout: BundleLayout
    public let parser: JSONParser
    public let customization: BodyCustomization

    public init(layout: BundleLayout, customization: BodyCustomization = .none, parser: JSONParser = JSONParser()) {
        self.layout = layout
        self.parser = parser
        self.customization = customization
    }

    public struct Result: Sendable {
        /// Nil when the spec cannot become a body (missing, unparsable, not an object).
        public let body: ReplacementBody?
        /// The spec as written, for validation; nil when it did not parse.
        public let spec: JSONValue?
        public let diagnostics: [Diagnostic]
        /// The body as built, members in written order, for validation (the body keeps only bytes).
        public var value: JSONValue? = nil
    }

    public func build(_ bundle: SpecBundle) -> Result {
        var diagnostics: [Diagnostic] = []
        let specPath = layout.path(of: .spec, in: bundle.id)
        guard let specFile = bundle[.spec] else {
            diagnostics.append(Diagnostic(
                .error, code: "missing-spec", file: specPath,
                message: "bundle '\(bundle.id)' has no \(layout.resource.noun)",
                help: "add \(specPath) or remove the folder \(layout.bundleFolder(bundle.id))"))
            return Result(body: nil, spec: nil, diagnostics: diagnostics)
        }
        if specFile.isSymlink {
            diagnostics.append(symlinkDiagnostic(specFile.path))
            return Result(body: nil, spec: nil, diagnostics: diagnostics)
        }
        if specFile.isOversized {
            diagnostics.append(oversizedDiagnostic(specFile))
            return Result(body: nil, spec: nil, diagnostics: diagnostics)
        }
        let spec: JSONValue
        do {
            spec = try parser.parse(specFile.bytes)
        } catch {
            diagnostics.append(Diagnostic(
                .error, code: "json-syntax", file: specFile.path, line: error.line, column: error.column,
                message: error.message, help: "fix the JSON syntax; the bundle is skipped until it parses"))
            return Result(body: nil, spec: nil, diagnostics: diagnostics)
        }
        guard case .object(var object) = spec else {
            // Where the top-level value starts, so the finding has a position like any syntax error.
            let start = specFile.bytes.firstIndex { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } ?? 0
            let position = TextPosition(offset: start, in: specFile.bytes)
            diagnostics.append(Diagnostic(
                .error, code: "not-an-object", file: specFile.path, line: position.line, column: position.column, pointer: .root,
                message: "the top level of a \(layout.resource.noun) must be an object, found \(spec.kindName)",
                help: "wrap the spec in { … }"))
            return Result(body: nil, spec: spec, diagnostics: diagnostics)
        }

        let serverOwned = Self.serverOwnedFields(of: layout.resource).filter(object.contains)
        if !serverOwned.isEmpty {
            for field in serverOwned { object[field] = nil }
            let list = serverOwned.map { "'\($0)'" }.joined(separator: ", ")
            diagnostics.append(Diagnostic(
                .warning, code: "server-owned-field", file: specFile.path,
                pointer: serverOwned.count == 1 ? JSONPointer(tokens: serverOwned) : .root,
                message: "\(list) \(serverOwned.count == 1 ? "is" : "are") set by the server and left out of the body",
                help: "remove \(serverOwned.count == 1 ? "it" : "them") from the file; it looks like a pasted GET response"))
        }

        switch layout.resource {
        case .connectionSpec:
            let sidecars = readSidecars(bundle, diagnostics: &diagnostics)
            fillFromSidecars(&object, sidecars)
        case .flxpointConnection:
            reduceFlxpointConfigs(&object, file: specFile.path, diagnostics: &diagnostics)
        case .versoriConnection:
            makeVersoriVariablesExplicit(&object, file: specFile.path, diagnostics: &diagnostics)
        }
        let (customized, sensitive, unresolved) = customization.apply(to: .object(object), bundle: bundle.id)
        for (pointer, reference) in unresolved {
            let help = reference.hasPrefix("$(env:") ? "set the environment variable for specsync" : "add the file to $CREDENTIALS_DIRECTORY (systemd LoadCredential=)"
            diagnostics.append(customization.undefinedSecretsAreErrors
                ? Diagnostic(.error, code: "undefined-secret", file: specFile.path, pointer: pointer,
                             message: "\(reference) is not defined", help: help)
                : Diagnostic(.warning, code: "undefined-secret", file: specFile.path, pointer: pointer,
                             message: "\(reference) is not defined here", help: help + "; sync fails on it where it stays undefined"))
        }
        return Result(
            body: ReplacementBody(bundle: bundle.id, value: customized, sensitivePointers: sensitive), spec: spec,
            diagnostics: diagnostics, value: customized)
    }

    /// The trimmed text of each text sidecar that is present and valid UTF-8.
    func readSidecars(_ bundle: SpecBundle, diagnostics: inout [Diagnostic]) -> [BundleFileKind: String] {
        var texts: [BundleFileKind: String] = [:]
        for kind in [BundleFileKind.label, .description, .category] {
            guard let file = bundle[kind] else { continue }
            if file.isSymlink {
                diagnostics.append(symlinkDiagnostic(file.path))
                continue
            }
            if file.isOversized {
                diagnostics.append(oversizedDiagnostic(file))
                continue
            }
            guard let text = String(validating: file.bytes, as: UTF8.self) else {
                let position = TextPosition(offset: TextPosition.firstInvalidUTF8(in: file.bytes) ?? 0, in: file.bytes)
                diagnostics.append(Diagnostic(
                    .error, code: "sidecar-encoding", file: file.path, line: position.line, column: position.column,
                    message: "the file is not valid UTF-8", help: "save it as UTF-8 text"))
                continue
            }
            let trimmed = text.trimmingWhitespaceAndNewlines()
            if trimmed.isEmpty {
                diagnostics.append(Diagnostic(
                    .warning, code: "sidecar-empty", file: file.path,
                    message: "the file is empty and is ignored", help: "write the \(kind.rawValue) text or delete the file"))
                continue
            }
            texts[kind] = trimmed
        }
        return texts
    }

    /// Whatever the spec states itself wins; sidecars only fill what is missing.
    func fillFromSidecars(_ object: inout JSONObject, _ sidecars: [BundleFileKind: String]) {
        if let description = sidecars[.description] {
            let current = object["description"]
            if current == nil || current == .string(Self.descriptionPlaceholder) {
                object["description"] = .string(description)
            }
        }
        var uiFills: [(String, JSONValue)] = []
        if let label = sidecars[.label] { uiFills.append(("label", .object(JSONObject(["text": .string(label)])))) }
        if let description = sidecars[.description] {
            uiFills.append(("description", .object(JSONObject(["text": .string(description)]))))
        }
        if let category = sidecars[.category] { uiFills.append(("category", .object(JSONObject(["key": .string(category)])))) }
        guard !uiFills.isEmpty, case .object(var sourceSpec)? = object["sourceSpec"] else { return }
        // Only objects are descended into or created: a non-object in the way is the spec's own
        // statement, and validation reports it.
        var attributes: JSONObject
        switch sourceSpec["attributes"] {
        case nil: attributes = JSONObject()
        case .object(let existing)?: attributes = existing
        default: return
        }
        var uiAttributes: JSONObject
        switch attributes["uiAttributes"] {
        case nil: uiAttributes = JSONObject()
        case .object(let existing)?: uiAttributes = existing
        default: return
        }
        for (key, value) in uiFills where !uiAttributes.contains(key) {
            uiAttributes[key] = value
        }
        attributes["uiAttributes"] = .object(uiAttributes)
        sourceSpec["attributes"] = .object(attributes)
        object["sourceSpec"] = .object(sourceSpec)
    }

    func symlinkDiagnostic(_ path: String) -> Diagnostic {
        Diagnostic(
            .error, code: "symlink", file: path,
            message: "this is a symbolic link; specsync never follows links, which could point outside the repository",
            help: "replace the link with the file or folder itself")
    }

    func oversizedDiagnostic(_ file: BundleFile) -> Diagnostic {
        Diagnostic(
            .error, code: "file-too-large", file: file.path,
            message: "the file is \(file.size) bytes; the limit for a bundle file is \(BundleFile.maximumSize >> 20) MiB (\(BundleFile.maximumSize) bytes), so it was not read",
            help: "a file this large is usually generated or committed by mistake; shrink it below the limit")
    }
}
