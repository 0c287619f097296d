import SpecSyncCore
import SpecSyncGit

/// The bundles of one commit, read through libgit2 without a checkout.
public struct GitCommitSource: BundleSource {
    public let repository: GitRepository
    public let commit: ObjectID
    public let layout: BundleLayout

    /// Above this many bundles one recursive walk of the root is cheaper than a lookup per bundle.
    static let walkThreshold = 64

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
        return entries.filter { $0.kind == .tree }.map { BundleID($0.name) }.sorted()
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
        let located = try await locate(ids)
        var start = 0
        while start < ids.count {
            let batch = ids[start..<min(start + size, ids.count)]
            start += size
            let blobIDs = batch.flatMap { (located[$0] ?? [:]).values.filter { !$0.isSymlink }.map(\.id) }
            let contents = try await repository.blobs(blobIDs)
            try body(batch.map { id in
                let files = (located[id] ?? [:]).mapValues { entry in
                    BundleFile(
                        path: entry.path, bytes: entry.isSymlink ? [] : contents[entry.id] ?? [],
                        blobID: entry.id.hex, isSymlink: entry.isSymlink)
                }
                return SpecBundle(id: id, files: files)
            })
        }
    }

    /// The tree entries of each bundle's files.
    func locate(_ ids: [BundleID]) async throws -> [BundleID: [BundleFileKind: TreeEntry]] {
        let wanted = Set(ids)
        var entries: [TreeEntry] = []
        if ids.count > Self.walkThreshold {
            entries = try await repository.walk(layout.root, in: commit, maxDepth: layout.fileDepth)
        } else {
            // Connections share a folder: read each folder once.
            var folders: [String] = []
            for id in ids where !folders.contains(layout.filesFolder(id)) { folders.append(layout.filesFolder(id)) }
            for folder in folders {
                entries += try await repository.entries(of: folder, in: commit) ?? []
            }
        }
        var located: [BundleID: [BundleFileKind: TreeEntry]] = [:]
        for entry in entries where entry.kind == .blob {
            guard let (id, kind) = layout.fileKind(of: entry.path), wanted.contains(id) else { continue }
            located[id, default: [:]][kind] = entry
        }
        return located
    }
}
