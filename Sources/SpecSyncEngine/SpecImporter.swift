#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore
import SpecSyncJSON
import SpecSyncSource
import SpecSyncTargets

/// Turns a connection spec that already exists remotely into a bundle in a work tree, so that
/// specsync can manage it from git. The files are written so that the body specsync computes from
/// them is the remote spec minus what the server owns: importing, committing and planning shows
/// the bundle unchanged.
public struct SpecImporter: Sendable {
    /// Fields of a GET response that never belong in a bundle: the server's own, and the
    /// permissions it adds to every spec.
    public static let droppedFields: [String] = ReplacementBodyBuilder.serverOwnedFields + ["permissionsInfo"]

    public let layout: BundleLayout

    public init(layout: BundleLayout) {
        self.layout = layout
    }

    /// What an import writes, before it is written.
    public struct Bundle: Sendable {
        public let id: BundleID
        public let remote: RemoteSpec
        /// The remote spec without the dropped fields, members in the server's order.
        public let spec: JSONValue
        /// Repository-relative path → contents, spec first.
        public let files: [(kind: BundleFileKind, path: String, contents: String)]
        /// Sidecars that could be derived but are not written, with the reason.
        public let skipped: [(kind: BundleFileKind, reason: String)]
        /// The hash of the body the written files give: the spec itself, unchanged by the sidecars.
        public let expectedHash: String
        /// `default` or `example` values of `"format": "password"` properties: the remote holds
        /// them in clear (a resolved `$(env:…)`/`$(cred:…)` perhaps), and git should not.
        public let passwordValues: [JSONPointer]
    }

    // MARK: Bundle names

    /// The bundle folder for a spec name: lowercase ASCII letters and digits, anything else
    /// becomes "-", runs of "-" collapse and none lead or trail. Nil when nothing is left.
    public static func bundleName(forSpecName name: String) -> String? {
        var result = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty, !result.hasSuffix("-") {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? nil : result
    }

    /// Why `name` cannot be a bundle folder, or nil when it can.
    public static func problem(withBundleName name: String) -> String? {
        if name.isEmpty { return "the bundle name is empty" }
        if name.hasPrefix(".") { return "a bundle name cannot start with '.' (such folders are ignored)" }
        if name.contains("/") || name.contains("\\") { return "a bundle name is one folder name: it cannot contain '/' or '\\'" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "a bundle name cannot contain control characters"
        }
        return nil
    }

    // MARK: Building the files

    /// The files for `remote` as bundle `id`. Sidecars come from `sourceSpec.attributes.uiAttributes`
    /// (`label.text`, `description.text` or else the top-level `description`, `category.key`) and are
    /// written only when they change nothing in the body: a sidecar fills what the spec leaves out,
    /// and a field the remote spec does not have must not appear in git either.
    public func bundle(from remote: RemoteSpec, as id: BundleID) throws(ImportError) -> Bundle {
        guard case .object(var object) = remote.document else {
            throw ImportError("the remote spec \(remote.id) is not a JSON object")
        }
        for field in Self.droppedFields { object[field] = nil }
        let spec = JSONValue.object(object)
        let builder = ReplacementBodyBuilder(layout: layout)
        let specPath = layout.path(of: .spec, in: id)
        let specText = spec.prettyPrinted(indent: 2) + "\n"
        let specFile = BundleFile(path: specPath, bytes: Array(specText.utf8))
        guard let plain = builder.build(SpecBundle(id: id, files: [.spec: specFile])).body else {
            throw ImportError("the remote spec \(remote.id) does not give a body specsync can send")
        }

        var files: [(kind: BundleFileKind, path: String, contents: String)] = [(.spec, specPath, specText)]
        var skipped: [(kind: BundleFileKind, reason: String)] = []
        for (kind, text, origin) in Self.sidecarTexts(of: spec) {
            let path = layout.path(of: kind, in: id)
            let contents = text.hasSuffix("\n") ? text : text + "\n"
            let file = BundleFile(path: path, bytes: Array(contents.utf8))
            guard let filled = builder.build(SpecBundle(id: id, files: [.spec: specFile, kind: file])).body else { continue }
            if filled.hash == plain.hash {
                files.append((kind, path, contents))
            } else {
                let added = JSONDifference.between(plain.value, filled.value).map(\.pointer.description)
                skipped.append((kind, "from \(origin): specsync would add \(added.joined(separator: ", ")) to the body from it, which the remote spec does not have"))
            }
        }
        return Bundle(id: id, remote: remote, spec: spec, files: files, skipped: skipped, expectedHash: plain.hash,
                      passwordValues: Self.passwordValues(in: spec))
    }

    /// Pointers to the `default`/`example` strings of every property with `"format": "password"`.
    static func passwordValues(in value: JSONValue, at pointer: JSONPointer = .root) -> [JSONPointer] {
        switch value {
        case .object(let object):
            var found: [JSONPointer] = []
            if object["format"] == .string("password") {
                for key in ["default", "example"] {
                    if case .string(let text)? = object[key], !text.isEmpty { found.append(pointer.appending(key)) }
                }
            }
            for (key, member) in object.members { found += passwordValues(in: member, at: pointer.appending(key)) }
            return found
        case .array(let array):
            return array.enumerated().flatMap { passwordValues(in: $1, at: pointer.appending($0)) }
        default:
            return []
        }
    }

    /// The text of each sidecar the spec states, with where it came from.
    static func sidecarTexts(of spec: JSONValue) -> [(BundleFileKind, String, String)] {
        let ui = "/sourceSpec/attributes/uiAttributes"
        func text(_ pointer: String) -> String? {
            guard let value = spec[JSONPointer(pointer)]?.stringValue,
                  !value.trimmingWhitespaceAndNewlines().isEmpty else { return nil }
            return value
        }
        var texts: [(BundleFileKind, String, String)] = []
        if let label = text(ui + "/label/text") { texts.append((.label, label, ui + "/label/text")) }
        if let description = text(ui + "/description/text") {
            texts.append((.description, description, ui + "/description/text"))
        } else if let description = text("/description"), description != ReplacementBodyBuilder.descriptionPlaceholder {
            texts.append((.description, description, "/description"))
        }
        if let category = text(ui + "/category/key") { texts.append((.category, category, ui + "/category/key")) }
        return texts
    }

    // MARK: Writing

    /// True when the bundle's folder exists in `workTree`.
    public func exists(_ id: BundleID, in workTree: String) -> Bool {
        let path = LocalPath.join(workTree, layout.bundleFolder(id))
        return FileManager.default.fileExists(atPath: path) || LocalPath.isSymbolicLink(path)
    }

    /// Writes the bundle's files into `workTree`. Text sidecars of an earlier version that this
    /// import does not write are removed, since they would fill the body; an icon is kept.
    /// Returns the repository-relative paths written and removed.
    public func write(_ bundle: Bundle, into workTree: String) throws(ImportError) -> (written: [String], removed: [String]) {
        let manager = FileManager.default
        let root = URL(fileURLWithPath: workTree)
        let folder = root.appendingPathComponent(layout.filesFolder(bundle.id), isDirectory: true)
        var written: [String] = []
        var removed: [String] = []
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in bundle.files {
                let url = root.appendingPathComponent(file.path)
                if LocalPath.isSymbolicLink(url.path) { try manager.removeItem(at: url) }
                try Data(file.contents.utf8).write(to: url, options: .atomic)
                written.append(file.path)
            }
            let writtenKinds = Set(bundle.files.map(\.kind))
            for kind in [BundleFileKind.label, .description, .category] where !writtenKinds.contains(kind) {
                let path = layout.path(of: kind, in: bundle.id)
                let url = root.appendingPathComponent(path)
                if manager.fileExists(atPath: url.path) || LocalPath.isSymbolicLink(url.path) {
                    try manager.removeItem(at: url)
                    removed.append(path)
                }
            }
        } catch {
            throw ImportError("cannot write the bundle into \(folder.path): \(SystemErrorText.describe(error))")
        }
        return (written, removed)
    }

    /// The other bundles of the work tree whose spec has `name`: Flow Service finds specs by name,
    /// so two bundles with one name are both refused by `validate` and `sync`.
    public func bundles(named name: String, in workTree: String, excluding excluded: BundleID) async throws -> [BundleID] {
        let source = DirectorySource(directory: workTree, layout: layout)
        let ids = try await source.bundleIDs().filter { $0 != excluded }
        let parser = JSONParser()
        return try await source.bundles(ids).compactMap { bundle in
            guard let file = bundle[.spec], !file.isSymlink,
                  let spec = try? parser.parse(file.bytes), spec[JSONPointer("/name")]?.stringValue == name else { return nil }
            return bundle.id
        }
    }

    /// The bundle as specsync reads it from the work tree: exactly what `plan` will evaluate once
    /// the files are committed.
    public func evaluateWritten(_ id: BundleID, in workTree: String) async throws -> EvaluatedBundle {
        let source = DirectorySource(directory: workTree, layout: layout)
        guard let bundle = try await source.bundles([id]).first else {
            throw ImportError("the bundle \(id) cannot be read back from \(workTree)")
        }
        return BundleEvaluator(layout: layout).evaluate(bundle)
    }

    /// The state record of an imported bundle: the remote spec, and the hash of the body the files give.
    public static func record(for remote: RemoteSpec, bodyHash: String) -> BundleRecord {
        var record = BundleRecord(id: remote.id, name: remote.name, bodyHash: bodyHash, createdAt: remote.createdAt, updatedAt: remote.updatedAt)
        record.revision = remote.revision
        return record
    }
}

/// An import or adoption that cannot go ahead, phrased for the user.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
