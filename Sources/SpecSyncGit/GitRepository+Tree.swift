import CLibgit2

extension GitRepository {
    /// The entry at `path` in the commit's tree, nil when there is none. "" or "/" is the root tree itself.
    /// `commit` may also be a tree or tag id: it is peeled to a tree.
    public func entry(at path: String, in commit: ObjectID) throws -> TreeEntry? {
        let clean = Self.normalize(path)
        let operation = "read '\(clean)' in \(commit.hex)"
        return try withTree(of: commit, operation: operation) { tree throws(GitError) -> TreeEntry? in
            if clean.isEmpty { return Self.rootEntry(tree) }
            var entry: OpaquePointer?
            let result = git_tree_entry_bypath(&entry, tree, clean)
            if result == GIT_ENOTFOUND.rawValue {
                git_error_clear()
                return nil
            }
            try GitError.check(result, operation)
            guard let entry else { throw missing(operation) }
            defer { git_tree_entry_free(entry) }
            return Self.treeEntry(entry, directory: Self.parent(of: clean))
        }
    }

    /// The entries directly inside the directory at `path` (one level), in git's tree order; nil when the path
    /// does not exist or is not a directory. Each entry's `path` is its full path from the root.
    public func entries(of path: String, in commit: ObjectID) throws -> [TreeEntry]? {
        let clean = Self.normalize(path)
        let operation = "list '\(clean)' in \(commit.hex)"
        return try withTree(of: commit, operation: operation) { root throws(GitError) -> [TreeEntry]? in
            try withSubtree(clean, of: root, operation: operation) { Self.list($0, directory: clean) }
        }
    }

    /// The names of the entries directly inside the directory at `path` that `include` takes (given
    /// each one's kind, mode and name), in git's tree order; nil when the path does not exist or is
    /// not a directory. For the bundles root, where only names count: no path or id is made per
    /// entry (the full listing was a tenth of a plan at 100,000 bundles).
    public func names(
        of path: String, in commit: ObjectID, where include: @Sendable (TreeEntryKind, UInt32, String) -> Bool
    ) throws -> [String]? {
        let clean = Self.normalize(path)
        let operation = "list '\(clean)' in \(commit.hex)"
        return try withTree(of: commit, operation: operation) { root throws(GitError) -> [String]? in
            try withSubtree(clean, of: root, operation: operation) { tree in
                let count = git_tree_entrycount(tree)
                var names: [String] = []
                names.reserveCapacity(count)
                for index in 0..<count {
                    guard let entry = git_tree_entry_byindex(tree, index) else { continue }
                    let name = git_tree_entry_name(entry).map { String(cString: $0) } ?? ""
                    if include(Self.kind(of: entry), git_tree_entry_filemode(entry).rawValue, name) { names.append(name) }
                }
                return names
            }
        }
    }

    /// Reads the directory at `path` into the kept large trees (`LargeTrees`) if it is one, so that
    /// a later read finds it parsed: started before other work (the state's load), it overlaps
    /// with it. Anything wrong is left for that later read to report.
    public func preloadTree(at path: String, in commit: ObjectID) {
        let clean = Self.normalize(path)
        _ = try? withTree(of: commit, operation: "read '\(clean)' in \(commit.hex)") { root throws(GitError) -> Void? in
            try withSubtree(clean, of: root, operation: "read '\(clean)' in \(commit.hex)") { _ in }
        }
        git_error_clear()
    }

    /// The entries named `names` directly inside the directory at `path`, each found by a binary
    /// search of the tree rather than by listing it, in the order of `names`; a name with no entry
    /// is left out, and so is every name when the path is not a directory. For a few names in a
    /// folder of many entries (a plan's changed bundles among 100,000).
    public func entries(named names: [String], in path: String, commit: ObjectID) throws -> [TreeEntry] {
        let clean = Self.normalize(path)
        let operation = "read \(names.count) entries of '\(clean)' in \(commit.hex)"
        return try withTree(of: commit, operation: operation) { root throws(GitError) -> [TreeEntry]? in
            try withSubtree(clean, of: root, operation: operation) { tree in
                names.compactMap { name in
                    // A NUL would end the name early in C; git allows none in a tree entry's name.
                    guard !name.utf8.contains(0), let entry = git_tree_entry_byname(tree, name) else { return nil }
                    return Self.treeEntry(entry, directory: clean)
                }
            }
        } ?? []
    }

    /// The entries directly inside each of `folders` (paths relative to `base`), by folder, in one
    /// call: `base` is read once and each folder is found from it, so the cost follows the folders
    /// asked for, not the size of `base`. A folder that does not exist or is not a directory is
    /// left out.
    public func entries(ofEach folders: [String], below base: String, in commit: ObjectID) throws -> [String: [TreeEntry]] {
        try listFolders(folders, below: base, in: commit).entries
    }

    /// `entries(ofEach:below:in:)`, with the folders whose tree objects cannot be read (missing,
    /// corrupt) as failures of their own rather than an error for all.
    public func listFolders(_ folders: [String], below base: String, in commit: ObjectID) throws -> FolderListing {
        let cleanBase = Self.normalize(base)
        let operation = "list \(folders.count) folders below '\(cleanBase)' in \(commit.hex)"
        let found = try withTree(of: commit, operation: operation) { root throws(GitError) -> FolderListing? in
            try withSubtree(cleanBase, of: root, operation: operation) { baseTree throws(GitError) -> FolderListing in
                var result = FolderListing()
                result.entries.reserveCapacity(folders.count)
                for folder in folders where result.entries[folder] == nil && result.failures[folder] == nil {
                    let relative = Self.normalize(folder)
                    let directory = [cleanBase, relative].filter { !$0.isEmpty }.joined(separator: "/")
                    do throws(GitError) {
                        if let entries = try withSubtree(relative, of: baseTree, operation: "list '\(directory)' in \(commit.hex)", { Self.list($0, directory: directory) }) {
                            result.entries[folder] = entries
                        }
                    } catch {
                        result.failures[folder] = error
                    }
                }
                return result
            }
        }
        return found ?? FolderListing()
    }

    private static func list(_ tree: OpaquePointer, directory: String) -> [TreeEntry] {
        let count = git_tree_entrycount(tree)
        var result: [TreeEntry] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            if let entry = git_tree_entry_byindex(tree, index) {
                result.append(treeEntry(entry, directory: directory))
            }
        }
        return result
    }

    /// Every entry below the directory at `path`, recursively, parent before children (pre-order). `maxDepth`
    /// 1 lists one level (like `entries`), 2 adds their children, and so on. Empty when the path does not exist
    /// or is not a directory.
    public func walk(_ path: String, in commit: ObjectID, maxDepth: Int? = nil) throws -> [TreeEntry] {
        let clean = Self.normalize(path)
        let operation = "walk '\(clean)' in \(commit.hex)"
        if let maxDepth, maxDepth < 1 { return [] }
        let found = try withTree(of: commit, operation: operation) { root throws(GitError) -> [TreeEntry]? in
            try withSubtree(clean, of: root, operation: operation) { tree throws(GitError) -> [TreeEntry] in
                let walk = TreeWalk(base: clean, maxDepth: maxDepth)
                let result = git_tree_walk(
                    tree, GIT_TREEWALK_PRE,
                    { root, entry, payload in
                        guard let entry, let payload else { return 0 }
                        let walk = Unmanaged<TreeWalk>.fromOpaque(payload).takeUnretainedValue()
                        return walk.visit(root: root.map { String(cString: $0) } ?? "", entry: entry)
                    },
                    Unmanaged.passUnretained(walk).toOpaque())
                withExtendedLifetime(walk) {}
                try GitError.check(result, operation)
                return walk.entries
            }
        }
        return found ?? []
    }

    /// The contents of the blob `id`, byte for byte (no filters, no line-ending conversion), checked
    /// against `id`: what a body is made of is exactly what git committed (see `GitLibrary`).
    public func blob(_ id: ObjectID) throws -> [UInt8] {
        let operation = "read blob \(id.hex)"
        var oid = id.gitOID
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, repository, &oid), operation)
        guard let blob else { throw missing(operation) }
        defer { git_blob_free(blob) }
        let size = Int(clamping: git_blob_rawsize(blob))
        let content = git_blob_rawcontent(blob)
        var computed = git_oid()
        try GitError.check(git_odb_hash(&computed, content, size, GIT_OBJECT_BLOB), operation)
        guard git_oid_equal(&computed, &oid) != 0 else {
            throw GitError(operation: operation, code: GIT_EMISMATCH.rawValue, errorClass: Int32(GIT_ERROR_ODB.rawValue),
                           message: "its contents hash to \(ObjectID(computed).hex), not to its id: the repository is damaged; run `git fsck` and restore the object from another clone")
        }
        guard size > 0, let content else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }

    /// Several blobs in one call, so a caller reading a whole bundle pays for one hop to this thread.
    public func blobs(_ ids: [ObjectID]) throws -> [ObjectID: [UInt8]] {
        var result: [ObjectID: [UInt8]] = [:]
        result.reserveCapacity(ids.count)
        for id in ids where result[id] == nil {
            result[id] = try blob(id)
        }
        return result
    }

    /// Several blobs in one call, each on its own: a missing or corrupt object is a failure of that
    /// blob only, so one broken file fails the bundle that holds it rather than every bundle.
    /// Blobs over `maximumSize` (from their headers) are sized, never read.
    public func readBlobs(_ ids: [ObjectID], maximumSize: Int) -> BlobReadout {
        var readout = BlobReadout()
        for id in ids where readout.sizes[id] == nil && readout.failures[id] == nil {
            do {
                let size = try blobSize(id)
                readout.sizes[id] = size
                if size <= maximumSize { readout.contents[id] = try blob(id) }
            } catch {
                readout.failures[id] = error as? GitError
                    ?? GitError(operation: "read blob \(id.hex)", code: -1, errorClass: 0, message: "\(error)")
            }
        }
        return readout
    }

    /// The sizes of several blobs, from their headers: lets a caller refuse a huge file before reading it.
    public func blobSizes(_ ids: [ObjectID]) throws -> [ObjectID: Int] {
        var result: [ObjectID: Int] = [:]
        result.reserveCapacity(ids.count)
        for id in ids where result[id] == nil {
            result[id] = try blobSize(id)
        }
        return result
    }

    /// The size of the blob `id` from the object's header, without inflating its contents.
    public func blobSize(_ id: ObjectID) throws -> Int {
        let operation = "read the header of blob \(id.hex)"
        var database: OpaquePointer?
        try GitError.check(git_repository_odb(&database, repository), operation)
        guard let database else { throw missing(operation) }
        defer { git_odb_free(database) }
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        try GitError.check(git_odb_read_header(&size, &type, database, &oid), operation)
        return size
    }

    /// Runs `body` with the directory at `path` (root when empty); nil when absent or not a directory.
    private func withSubtree<T>(
        _ path: String, of root: OpaquePointer, operation: String, _ body: (OpaquePointer) throws(GitError) -> T
    ) throws(GitError) -> T? {
        if path.isEmpty { return try body(root) }
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, root, path)
        if result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(result, operation)
        guard let entry else { throw missing(operation) }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_TREE, let id = git_tree_entry_id(entry) else { return nil }
        return try largeTrees.withTree(id.pointee, operation: operation, body)
    }

    /// "/a//b/" → "a/b": tree paths never start or end with '/', and libgit2 does not accept empty components.
    static func normalize(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static func rootEntry(_ tree: OpaquePointer) -> TreeEntry {
        TreeEntry(
            path: "", name: "", id: ObjectID(git_tree_id(tree)) ?? .zero, kind: .tree,
            fileMode: GIT_FILEMODE_TREE.rawValue)
    }

    static func kind(of entry: OpaquePointer) -> TreeEntryKind {
        switch git_tree_entry_type(entry) {
        case GIT_OBJECT_BLOB: .blob
        case GIT_OBJECT_TREE: .tree
        case GIT_OBJECT_COMMIT: .commit
        default: .other
        }
    }

    /// A Swift value for a libgit2 entry found in `directory` ("" = root).
    static func treeEntry(_ entry: OpaquePointer, directory: String) -> TreeEntry {
        let name = git_tree_entry_name(entry).map { String(cString: $0) } ?? ""
        let kind = kind(of: entry)
        return TreeEntry(
            path: directory.isEmpty ? name : directory + "/" + name,
            name: name,
            id: ObjectID(git_tree_entry_id(entry)) ?? .zero,
            kind: kind,
            fileMode: git_tree_entry_filemode(entry).rawValue)
    }
}

/// State for `git_tree_walk`'s C callback, passed through its payload pointer (C callbacks capture nothing).
private final class TreeWalk {
    let base: String
    let maxDepth: Int?
    var entries: [TreeEntry] = []

    init(base: String, maxDepth: Int?) {
        self.base = base
        self.maxDepth = maxDepth
    }

    /// `root` is the entry's directory relative to the walked tree, "" or ending in '/'.
    /// Returns 1 to skip a directory's children once `maxDepth` is reached, 0 to go on.
    func visit(root: String, entry: OpaquePointer) -> Int32 {
        let relative = root.hasSuffix("/") ? String(root.dropLast()) : root
        let directory = [base, relative].filter { !$0.isEmpty }.joined(separator: "/")
        let value = GitRepository.treeEntry(entry, directory: directory)
        entries.append(value)
        if let maxDepth, value.kind == .tree {
            let depth = root.isEmpty ? 1 : root.split(separator: "/").count + 1
            if depth >= maxDepth { return 1 }
        }
        return 0
    }
}
