/// Where bundles live in a repository. Pure path arithmetic, shared by every source of files (a
/// commit or a directory):
/// - connection specs: `<root>/<source>/Artifacts/<source>-connectionSpec.json` and its sidecars;
/// - Flxpoint connections: `<root>/<name>.json`, one file each, bundle id `<name>`;
/// - Versori connections: `<root>/<connector>/<name>.json`, bundle id `<connector>/<name>`.
public struct BundleLayout: Sendable, Hashable {
    public static let artifactsFolder = "Artifacts"
    public static let connectionFileExtension = ".json"

    /// The folder holding the bundles, relative to the repository root, without slashes at either
    /// end ("Sources", or "connectors/adobe").
    public let root: String
    public let resource: ResourceKind

    public init(root: String = "Sources", resource: ResourceKind = .connectionSpec) {
        self.root = root.split(separator: "/").joined(separator: "/")
        self.resource = resource
    }

    public var rootComponents: [Substring] { root.split(separator: "/") }

    /// The files a bundle of this layout can have.
    public var fileKinds: [BundleFileKind] {
        resource == .connectionSpec ? BundleFileKind.allCases : [.spec]
    }

    /// How deep below the root a bundle's files are: what a recursive walk must reach.
    public var fileDepth: Int {
        resource.groupDepth.map { $0 + 1 } ?? 3
    }

    /// The folder a bundle is removed with: its own folder for a connection spec, the file itself
    /// for a connection.
    public func bundleFolder(_ id: BundleID) -> String {
        resource == .connectionSpec ? join(root, id.source) : path(of: .spec, in: id)
    }

    /// The folder holding a bundle's files.
    public func filesFolder(_ id: BundleID) -> String {
        guard resource == .connectionSpec else {
            return join([root] + id.source.split(separator: "/").dropLast().map(String.init))
        }
        return join(root, id.source, Self.artifactsFolder)
    }

    /// The folders below the root that lead to a bundle's files, outermost first
    /// (`<root>/<source>`, `<root>/<source>/Artifacts`): where a link must be refused.
    public func folders(leadingTo id: BundleID) -> [String] {
        var folders: [String] = []
        for component in filesFolder(id).split(separator: "/").dropFirst(rootComponents.count) {
            folders.append(join(folders.last ?? root, String(component)))
        }
        return folders
    }

    public func path(of kind: BundleFileKind, in id: BundleID) -> String {
        guard resource == .connectionSpec else { return join(root, id.source + Self.connectionFileExtension) }
        return join(filesFolder(id), id.source + kind.suffix)
    }

    /// The bundle a repository path belongs to, if any. For connection specs any path below
    /// `<root>/<source>/` counts, so that a stray file in a bundle folder is noticed too; for
    /// connections only a `.json` file at the connection depth is one.
    public func bundle(containing path: String) -> BundleID? {
        guard resource.groupDepth != nil else {
            // Called for every entry of a walk: the component after the root, without splitting the path.
            var path = path
            return path.withUTF8 { bytes in
                componentAfterRoot(bytes).map { BundleID(String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)) }
            }
        }
        let components = path.split(separator: "/")
        let rootCount = rootComponents.count
        guard components.count > rootCount, components.starts(with: rootComponents) else { return nil }
        let relative = components.dropFirst(rootCount)
        guard relative.count == resource.groupDepth! + 1, let file = relative.last,
              file.hasSuffix(Self.connectionFileExtension), file.count > Self.connectionFileExtension.count,
              !relative.contains(where: { $0.hasPrefix(".") }) else { return nil }
        let name = file.dropLast(Self.connectionFileExtension.count)
        return BundleID((relative.dropLast().map(String.init) + [String(name)]).joined(separator: "/"))
    }

    /// The bundle file kind a repository path is, if it is exactly one of the bundle's files.
    public func fileKind(of path: String) -> (BundleID, BundleFileKind)? {
        guard resource == .connectionSpec else {
            guard let id = bundle(containing: path) else { return nil }
            return self.path(of: .spec, in: id) == path ? (id, .spec) : nil
        }
        // Called for every file of every bundle: `<root>/<id>/Artifacts/<id><suffix>` is matched
        // piece by piece over the path's bytes, not built.
        var path = path
        return path.withUTF8 { bytes -> (BundleID, BundleFileKind)? in
            guard let name = componentAfterRoot(bytes) else { return nil }
            let nameBytes = UnsafeBufferPointer(rebasing: bytes[name])
            var offset = name.upperBound + 1
            let artifacts = Self.artifactsPrefix.withUnsafeBufferPointer { Self.matches(bytes, at: offset, $0) }
            offset += Self.artifactsPrefix.count
            guard artifacts, Self.matches(bytes, at: offset, nameBytes) else { return nil }
            offset += nameBytes.count
            let suffix = UnsafeBufferPointer(rebasing: bytes[min(offset, bytes.count)...])
            guard !suffix.isEmpty, let kind = fileKinds.first(where: { $0.suffix.utf8.elementsEqual(suffix) }) else { return nil }
            return (BundleID(String(decoding: nameBytes, as: UTF8.self)), kind)
        }
    }

    private static let artifactsPrefix = Array((artifactsFolder + "/").utf8)

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        guard offset + piece.count <= bytes.count else { return false }
        return UnsafeBufferPointer(rebasing: bytes[offset..<(offset + piece.count)]).elementsEqual(piece)
    }

    /// Where the path component right below the root is; nil for a path not below the root.
    private func componentAfterRoot(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var start = 0
        if !root.isEmpty {
            var root = root
            let matched = root.withUTF8 { Self.matches(bytes, at: 0, $0) }
            guard matched, bytes.count > root.utf8.count, bytes[root.utf8.count] == UInt8(ascii: "/") else { return nil }
            start = root.utf8.count + 1
        }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
        return end > start ? start..<end : nil
    }

    /// The connector a Versori bundle belongs to (its first path component); nil for other kinds.
    public func group(of id: BundleID) -> String? {
        guard let depth = resource.groupDepth, depth > 0 else { return nil }
        return id.source.split(separator: "/").first.map(String.init)
    }

    private func join(_ parts: String...) -> String { join(parts) }

    private func join(_ parts: [String]) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: "/")
    }
}
