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

    /// Starts reading, on the repository's thread, the bundles roots a pass at `commit` compares:
    /// its own and that of `lastSynced`, the tree diff's likely base (a hex id, possibly unverified:
    /// a wrong one costs a read). Returns at once; the listing and the diff that follow find them
    /// parsed. For a caller with other work to do first (the state's load).
    public static func preloadRoots(repository: GitRepository, layout: BundleLayout, commit: ObjectID?, lastSynced: String?) {
        var commits = commit.map { [$0] } ?? []
        if let base = lastSynced.flatMap({ ObjectID(hex: $0) }), base != commit { commits.append(base) }
        let root = layout.root
        Task { for commit in commits { await repository.preloadTree(at: root, in: commit) } }
    }

    public func bundleIDs() async throws -> [BundleID] {
        guard layout.resource == .connectionSpec else {
            // A connection is one file: walk down to the files and keep those the layout names.
            // A submodule where a connection file should be is a bundle too, so that it is reported.
            let entries = try await repository.walk(layout.root, in: commit, maxDepth: layout.fileDepth)
            return Set(entries.filter { $0.kind == .blob || $0.isGitlink }.compactMap { layout.fileKind(of: $0.path)?.0 }).sorted()
        }
        // A link, a submodule or a name git refuses in place of a bundle folder is a bundle too, so
        // that it is reported rather than skipped (or, for `..`, read from somewhere else).
        let names = try await repository.names(of: layout.root, in: commit) { kind, mode, name in
            kind == .tree || TreeEntry.isSymlink(mode) || TreeEntry.isGitlink(kind, mode) || TreeEntry.refusal(ofName: name) != nil
        }
        return (names ?? []).map { BundleID($0) }.sorted()
    }

    public func bundles(_ ids: [BundleID]) async throws -> [SpecBundle] {
        var bundles: [SpecBundle] = []
        try await forEachBatch(of: ids, size: max(ids.count, 1)) { bundles += $0 }
        return bundles
    }

    /// Hands the bundles to `body` in batches of `size`, in the order of `ids`, reading each
    /// batch's files only when it is due: memory holds two batches of contents, not the repository.
    /// The next batch is read on the repository's thread while `body` works on this one, so git
    /// reads and evaluation overlap. The files are located `locatedAtOnce` bundles at a time (one
    /// read of the bundles root each).
    public func forEachBatch(of ids: [BundleID], size: Int, _ body: ([SpecBundle]) async throws -> Void) async throws {
        let refusedFolders = try await refusedBundleFolders(ids)
        var chunkStart = 0
        while chunkStart < ids.count {
            let chunk = ids[chunkStart..<min(chunkStart + max(size, Self.locatedAtOnce), ids.count)]
            chunkStart = chunk.endIndex
            try await forEachBatch(of: chunk, size: size, refusedFolders: refusedFolders, body)
        }
    }

    /// Bundles whose tree entries are held at once: those of every candidate (five files each, with
    /// their paths) were held for as long as the whole evaluation lasted; a chunk costs one more
    /// read of the bundles root.
    static let locatedAtOnce = 4096

    private func forEachBatch(
        of ids: ArraySlice<BundleID>, size: Int, refusedFolders: [BundleID: BundleEntryProblem], _ body: ([SpecBundle]) async throws -> Void
    ) async throws {
        let (located, linkedFolders, problems) = try await locate(ids.filter { refusedFolders[$0] == nil })
        let size = max(size, 1)
        let batches = stride(from: ids.startIndex, to: ids.endIndex, by: size).map { ids[$0..<min($0 + size, ids.endIndex)] }
        // Sizes first: a file over the limit is never read. A blob that cannot be read fails the
        // bundles that hold it, not the batch.
        func read(_ batch: ArraySlice<BundleID>) -> Task<BlobReadout, Never> {
            let regular = batch.flatMap { (located[$0] ?? [:]).values.filter { !$0.isSymlink }.map(\.id) }
            return Task { await repository.readBlobs(regular, maximumSize: BundleFile.maximumSize) }
        }
        guard let first = batches.first else { return }
        var reading = read(first)
        for (index, batch) in batches.enumerated() {
            let readout = await reading.value
            if index + 1 < batches.count { reading = read(batches[index + 1]) }
            try await body(batch.map { id in
                if let problem = refusedFolders[id] {
                    return SpecBundle(id: id, files: [:], problems: [problem])
                }
                if let link = linkedFolders[id] {
                    return SpecBundle(id: id, files: [.spec: .link(path: link.path, blobID: link.id.hex)])
                }
                var bundleProblems = problems[id] ?? []
                let files = (located[id] ?? [:]).mapValues { entry in
                    if entry.isSymlink { return BundleFile.link(path: entry.path, blobID: entry.id.hex) }
                    if let failure = readout.failures[entry.id] {
                        bundleProblems.append(Self.unreadable(entry.path, entry.id, failure))
                    }
                    if let size = readout.sizes[entry.id], size > BundleFile.maximumSize {
                        return BundleFile.unread(path: entry.path, size: size, blobID: entry.id.hex)
                    }
                    return BundleFile(path: entry.path, bytes: readout.contents[entry.id] ?? [], blobID: entry.id.hex)
                }
                return SpecBundle(id: id, files: files, problems: bundleProblems.sorted { $0.path < $1.path })
            })
        }
    }

    /// The bundles whose folder in the bundles root is a submodule or has a name git refuses. Each
    /// folder is looked up by name: listing the root into Swift values cost a pass at 100,000
    /// bundles ~20 ms each time, whatever the number of bundles it was asked about.
    func refusedBundleFolders(_ ids: [BundleID]) async throws -> [BundleID: BundleEntryProblem] {
        guard layout.resource == .connectionSpec, !ids.isEmpty else { return [:] }
        var result: [BundleID: BundleEntryProblem] = [:]
        for entry in try await repository.entries(named: ids.map(\.source), in: layout.root, commit: commit) {
            if let problem = Self.problem(with: entry) { result[BundleID(entry.name)] = problem }
        }
        return result
    }

    /// Why a tree entry cannot be part of a bundle, when it cannot.
    static func problem(with entry: TreeEntry) -> BundleEntryProblem? {
        if let refused = entry.refusedName {
            return BundleEntryProblem(
                .refusedName, path: entry.path, message: "the git tree entry \(refused); specsync reads only what a checkout would",
                help: "rewrite the commit with a plain name (the tree was made with git plumbing, not git add)")
        }
        if entry.isGitlink {
            return BundleEntryProblem(
                .gitlink, path: entry.path,
                message: "this is a git submodule (commit \(entry.id.hex.prefix(12)) of another repository); specsync does not read submodules",
                help: "commit the files themselves instead of a submodule")
        }
        return nil
    }

    static func unreadable(_ path: String, _ id: ObjectID, _ failure: GitError) -> BundleEntryProblem {
        BundleEntryProblem(
            .unreadableObject, path: path,
            message: "git object \(id.hex) of this file cannot be read (\(failure.message)); the repository is missing or has a corrupt object",
            help: "run `git fsck` in the repository and restore the object (e.g. fetch it again from a clone that has it)")
    }

    /// The tree entries of each bundle's files, and the links found where a bundle's folders should be.
    func locate(_ ids: [BundleID]) async throws -> (
        files: [BundleID: [BundleFileKind: TreeEntry]], linkedFolders: [BundleID: TreeEntry], problems: [BundleID: [BundleEntryProblem]]
    ) {
        let wanted = Set(ids)
        // Each bundle's files folder, found from the root in one call: the cost follows the bundles
        // asked for, not the repository (connections share a folder, listed once).
        var folders: [String] = []
        var seen: Set<String> = []
        for id in ids where seen.insert(layout.filesFolder(id)).inserted { folders.append(relativeToRoot(layout.filesFolder(id))) }
        let listing = try await repository.listFolders(folders, below: layout.root, in: commit)
        let listed = listing.entries
        var entries: [TreeEntry] = []
        var linkChecked: Set<String> = []
        var problems: [BundleID: [BundleEntryProblem]] = [:]
        for id in ids {
            let folder = relativeToRoot(layout.filesFolder(id))
            guard linkChecked.insert(folder).inserted else { continue }
            if let files = listed[folder] {
                entries += files
            } else if let failure = listing.failures[folder] {
                problems[id, default: []].append(BundleEntryProblem(
                    .unreadableObject, path: layout.filesFolder(id),
                    message: "the git tree of this folder cannot be read (\(failure.message)); the repository is missing or has a corrupt object",
                    help: "run `git fsck` in the repository and restore the object (e.g. fetch it again from a clone that has it)"))
            } else {
                // Not a folder: perhaps a link (or a submodule) where the bundle's folder or Artifacts should be.
                for entry in try await linksOnTheWay(to: id) {
                    if let problem = Self.problem(with: entry) { problems[id, default: []].append(problem) } else { entries.append(entry) }
                }
            }
        }
        var located: [BundleID: [BundleFileKind: TreeEntry]] = [:]
        var linkedFolders: [BundleID: TreeEntry] = [:]
        for entry in entries {
            if let problem = Self.problem(with: entry) {
                // A submodule or a refused name among a bundle's files: the bundle is reported, not synced.
                if let id = layout.bundle(containing: entry.path), wanted.contains(id) { problems[id, default: []].append(problem) }
                continue
            }
            guard entry.kind == .blob else { continue }
            if let (id, kind) = layout.fileKind(of: entry.path), wanted.contains(id) {
                located[id, default: [:]][kind] = entry
            } else if entry.isSymlink, let id = layout.bundle(containing: entry.path), wanted.contains(id),
                      layout.folders(leadingTo: id).contains(entry.path) {
                linkedFolders[id] = entry
            }
        }
        return (located, linkedFolders, problems)
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
            if entry.isSymlink || entry.isGitlink { links.append(entry) }
            if entry.kind != .tree { break }
        }
        return links
    }
}
