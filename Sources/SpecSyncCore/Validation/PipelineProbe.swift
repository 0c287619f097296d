import SpecSyncJSON
/// The whole path from a file's bytes to the body specsync would send and its findings, for every
/// kind of resource, with the properties that must hold whatever the bytes are. The fuzz target
/// (`Tests/Fuzz/`) runs it on generated inputs; a unit test replays the committed corpus through it
/// without sanitizers, so the corpus guards against regressions in every `swift test`.
public enum PipelineProbe {
    public struct Outcome: Sendable {
        public let resource: ResourceKind
        public let body: ReplacementBody?
        public let diagnostics: [Diagnostic]
        /// Properties that did not hold; any entry is a bug.
        public let violations: [String]
    }

    /// Resolves `$(env:FUZZ_SECRET)`, so that masking is checked; `$(cred:…)` stays undefined.
    static let secretName = "FUZZ_SECRET"
    static let secretValue = "probe-secret-9d1c"
    static let customization = BodyCustomization(secrets: SecretLookup(environment: [secretName: secretValue]))

    /// Evaluates `bytes` as a connection spec (with sidecars, and the same bytes as its icon), a
    /// Flxpoint connection and a Versori connection.
    public static func run(_ bytes: [UInt8]) -> [Outcome] {
        var outcomes: [Outcome] = []
        for resource in ResourceKind.allCases {
            outcomes.append(run(bytes, as: resource))
        }
        return outcomes
    }

    static func run(_ bytes: [UInt8], as resource: ResourceKind) -> Outcome {
        let layout = BundleLayout(root: "Sources", resource: resource)
        let id = BundleID(resource == .versoriConnection ? "connector/probe" : "probe")
        var files: [BundleFileKind: BundleFile] = [.spec: BundleFile(path: layout.path(of: .spec, in: id), bytes: bytes)]
        if resource == .connectionSpec {
            for (kind, text) in [(BundleFileKind.label, "Probe"), (.description, "Probe source"), (.category, "crm")] {
                files[kind] = BundleFile(path: layout.path(of: kind, in: id), bytes: Array(text.utf8))
            }
            files[.icon] = BundleFile(path: layout.path(of: .icon, in: id), bytes: bytes)
        }
        let evaluated = BundleEvaluator(layout: layout, customization: customization)
            .evaluate([SpecBundle(id: id, files: files)])[0]
        return Outcome(
            resource: resource, body: evaluated.body, diagnostics: evaluated.diagnostics,
            violations: violations(bytes, files: files, body: evaluated.body, diagnostics: evaluated.diagnostics))
    }

    static func violations(_ bytes: [UInt8], files: [BundleFileKind: BundleFile], body: ReplacementBody?, diagnostics: [Diagnostic]) -> [String] {
        var found: [String] = []
        let specPath = files[.spec]!.path
        let paths = Dictionary(files.values.map { ($0.path, $0.bytes) }) { first, _ in first }
        for diagnostic in diagnostics {
            if let line = diagnostic.line, let column = diagnostic.column {
                let lines = (paths[diagnostic.file] ?? []).count { $0 == UInt8(ascii: "\n") } + 1
                if line < 1 || column < 1 || line > lines { found.append("position out of the file: \(diagnostic)") }
            } else if diagnostic.severity == .error, diagnostic.file == specPath, diagnostic.pointer == nil {
                found.append("an error about the spec without a position or pointer: \(diagnostic)")
            }
        }
        let parsed: JSONValue?
        do { parsed = try JSONParser().parse(bytes) } catch { parsed = nil }
        if parsed == nil, diagnostics.filter({ $0.file == specPath && $0.severity == .error }).map(\.code) != ["json-syntax"] {
            found.append("unparsable input without exactly one syntax error: \(diagnostics)")
        }
        guard let body else { return found }
        // The canonical form is a fixed point: what goes on the wire parses back to the same bytes.
        do {
            let reparsed = try JSONParser().parse(body.canonicalBytes)
            if reparsed.canonicalBytes != body.canonicalBytes { found.append("canonical form is not stable") }
            if reparsed != body.value { found.append("canonical form does not parse back to the body") }
        } catch {
            found.append("canonical form does not parse: \(error)")
        }
        do {
            if try JSONParser().parse(body.value.prettyPrinted()).canonicalBytes != body.canonicalBytes {
                found.append("pretty form differs from the body")
            }
        } catch {
            found.append("pretty form does not parse: \(error)")
        }
        // A resolved secret never shows once masked, nor in a finding, unless the file itself holds it.
        let written = parsed.map { String(decoding: $0.canonicalBytes, as: UTF8.self) } ?? ""
        if !written.contains(secretValue) {
            let masked = String(decoding: body.value.masking(body.sensitivePointers).canonicalBytes, as: UTF8.self)
            if masked.contains(secretValue) { found.append("a secret shows in the masked body") }
            if diagnostics.contains(where: { $0.description.contains(secretValue) }) { found.append("a secret shows in a finding") }
        }
        return found
    }
}
