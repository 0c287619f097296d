import SpecSyncCore
import SpecSyncGit

/// The bundles of one commit, read through libgit2 without a checkout.
public struct GitCommitSource: BundleSource {
    public let repository: GitRepository
    public let commit: ObjectID
    public let layout: BundleLayout

    public init(repository: GitRepository, commit: ObjectID, layout: BundleLayout) {
        self.repository = repository
        self.commit = commit
        self.layout = layout
    }

    public var label: String { "commit \(commit.hex.prefix(12))" }

    public func bundleIDs() async throws -> [BundleID] {
        guard layout.resource == .connectionSpec else {
            // A connection is one file: walk down to the files and keep those the layout names.
            let entries = try await repository.walk(layout.root, in: commit, maxDepth: layout.fileDepth)
            return Set(entries.filter { $0.kind == .blob }.compactMap { layout.fileKind(of: $0.path)?.0 }).sorted()
        }
        guard let entries = try await repository.entries(of: layout.root, in: commit) else { return [] }
        // A link in place of a bundle folder is a bundle too, so that it is reported rather than skipped.
        return entries.filter { $0.kind == .tree || $0.isSymlink }.map { BundleID($0.name) }.sorted()
    }

    public func bundles(_ ids: [BundleID]) async throws -> [SpecBundle] {
        var bundles: [SpecBundle] = []
        try await forEachBatch(of: ids, size: max(ids.count, 1)) { bundles += $0 }
        return bundles
    }

    /// Hands the bundles to `body` in batches of `size`, in the order of `ids`, reading each
    /// batch's files only when it is due: memory holds one batch of contents, not the repository.
    /// The tree is listed once whatever the number of batches.
    public func forEachBatch(of ids: [BundleID], size: Int, _ body: ([SpecBundle]) throws -> Void) async throws {
        let (located, linkedFolders) = try await locate(ids)
        var start = 0
        while start < ids.count {
            let batch = ids[start..<min(start + size, ids.count)]
            start += size
            let regular = batch.flatMap { (located[$0] ?? [:]).values.filter { !$0.isSymlink }.map(\.id) }
            // Sizes first: a file over the limit is never read.
            let sizes = try await repository.blobSizes(regular)
            let contents = try await repository.blobs(regular.filter { sizes[$0] ?? 0 <= BundleFile.maximumSize })
            try body(batch.map { id in
                if let link = linkedFolders[id] {
                    return SpecBundle(id: id, files: [.spec: .link(path: link.path, blobID: link.id.hex)])
                }
                let files = (located[id] ?? [:]).mapValues { entry in
                    if entry.isSymlink { return BundleFile.link(path: entry.path, blobID: entry.id.hex) }
                    if let size = sizes[entry.id], size > BundleFile.maximumSize {
                        return BundleFile.unread(path: entry.path, size: size, blobID: entry.id.hex)
                    }
                    return BundleFile(path: entry.path, bytes: contents[entry.id] ?? [], blobID: entry.id.hex)
                }
                return SpecBundle(id: id, files: files)
            })
        }
    }

    /// The tree entries of each bundle's files, and the links found where a bundle's folders should be.
    func locate(_ ids: [BundleID]) async throws -> (files: [BundleID: [BundleFileKind: TreeEntry]], linkedFolders: [BundleID: TreeEntry]) {
        let wanted = Set(ids)
        // Each bundle's files folder, found from the root in one call: the cost follows the bundles
        // asked for, not the repository (connections share a folder, listed once).
        var folders: [String] = []
        var seen: Set<String> = []
        for id in ids where seen.insert(layout.filesFolder(id)).inserted { folders.append(relativeToRoot(layout.filesFolder(id))) }
        let listed = try await repository.entries(ofEach: folders, below: layout.root, in: commit)
        var entries: [TreeEntry] = []
        var linkChecked: Set<String> = []
        for id in ids {
            let folder = relativeToRoot(layout.filesFolder(id))
            guard linkChecked.insert(folder).inserted else { continue }
            if let files = listed[folder] {
                entries += files
            } else {
                // Not a folder: perhaps a link where the bundle's folder or Artifacts should be.
                entries += try await linksOnTheWay(to: id)
            }
        }
        var located: [BundleID: [BundleFileKind: TreeEntry]] = [:]
        var linkedFolders: [BundleID: TreeEntry] = [:]
        for entry in entries where entry.kind == .blob {
            if let (id, kind) = layout.fileKind(of: entry.path), wanted.contains(id) {
                located[id, default: [:]][kind] = entry
            } else if entry.isSymlink, let id = layout.bundle(containing: entry.path), wanted.contains(id),
                      layout.folders(leadingTo: id).contains(entry.path) {
                linkedFolders[id] = entry
            }
        }
        return (located, linkedFolders)
    }

    private func relativeToRoot(_ path: String) -> String {
        guard !layout.root.isEmpty else { return path }
        return path == layout.root ? "" : String(path.dropFirst(layout.root.count + 1))
    }

    /// The links among the folders leading to a bundle's files, as tree entries.
    func linksOnTheWay(to id: BundleID) async throws -> [TreeEntry] {
        var links: [TreeEntry] = []
        for folder in layout.folders(leadingTo: id) {
            guard let entry = try await repository.entry(at: folder, in: commit) else { break }
            if entry.isSymlink { links.append(entry) }
            if entry.kind != .tree { break }
        }
        return links
    }
}
