/// Where bundles live in a repository: `<root>/<source>/Artifacts/<source>-connectionSpec.json` and
/// its sidecars. Pure path arithmetic, shared by every source of files (a commit or a directory).
public struct BundleLayout: Sendable, Hashable {
    public static let artifactsFolder = "Artifacts"

    /// The folder holding one folder per bundle, relative to the repository root, without slashes
    /// at either end ("Sources", or "connectors/adobe").
    public let root: String

    public init(root: String = "Sources") {
        self.root = root.split(separator: "/").joined(separator: "/")
    }

    public var rootComponents: [Substring] { root.split(separator: "/") }

    public func bundleFolder(_ id: BundleID) -> String { join(root, id.source) }

    public func artifactsFolder(_ id: BundleID) -> String { join(root, id.source, Self.artifactsFolder) }

    public func path(of kind: BundleFileKind, in id: BundleID) -> String {
        join(artifactsFolder(id), id.source + kind.suffix)
    }

    /// The bundle a repository path belongs to, if any: any path below `<root>/<source>/` counts,
    /// so that a stray file in a bundle folder is noticed too.
    public func bundle(containing path: String) -> BundleID? {
        let components = path.split(separator: "/")
        let rootCount = rootComponents.count
        guard components.count > rootCount, components.starts(with: rootComponents) else { return nil }
        return BundleID(String(components[rootCount]))
    }

    /// The bundle file kind a repository path is, if it is exactly one of the bundle's files.
    public func fileKind(of path: String) -> (BundleID, BundleFileKind)? {
        guard let id = bundle(containing: path) else { return nil }
        for kind in BundleFileKind.allCases where self.path(of: kind, in: id) == path {
            return (id, kind)
        }
        return nil
    }

    private func join(_ parts: String...) -> String {
        parts.filter { !$0.isEmpty }.joined(separator: "/")
    }
}
