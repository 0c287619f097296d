/// The `paths` of a diff as literal paths and directory prefixes (no globs), the way libgit2 reads them with
/// `GIT_DIFF_DISABLE_PATHSPEC_MATCH`: "a/b" matches the file a/b and everything under a directory a/b;
/// "a/b/" matches only under a directory a/b.
struct DiffPathspec {
    struct Item: Hashable {
        /// Without leading or trailing '/'.
        let path: String
        let directoryOnly: Bool

        /// The form libgit2 gets.
        var literal: String { directoryOnly ? path + "/" : path }
    }

    /// Empty means the whole tree.
    let items: [Item]

    init(_ paths: [String]) {
        var items: [Item] = []
        for raw in paths {
            let path = GitRepository.normalize(raw)
            // "" or "/" is the whole tree: no restriction at all.
            if path.isEmpty {
                items = []
                break
            }
            let item = Item(path: path, directoryOnly: raw.hasSuffix("/"))
            if !items.contains(item) { items.append(item) }
        }
        self.items = paths.contains { GitRepository.normalize($0).isEmpty } ? [] : items
    }

    var isEverything: Bool { items.isEmpty }

    /// Whether a directory at `path` may hold matching paths, i.e. whether it is worth reading.
    func mayContainMatches(directory path: String) -> Bool {
        items.isEmpty
            || items.contains { path == $0.path || path.hasPrefix($0.path + "/") || $0.path.hasPrefix(path + "/") }
    }

    /// Given a path whose entry differs between two trees (added, deleted, changed, or changed kind), the
    /// pathlist entries that make libgit2 report exactly the part of that change inside the pathspec.
    /// `isDirectory` is true when the path is a directory on at least one side.
    func pathlist(forChanged path: String, isDirectory: Bool) -> [String] {
        if items.isEmpty { return [path] }
        var result: [String] = []
        for item in items {
            let entry: String?
            if path == item.path {
                entry = item.directoryOnly && !isDirectory ? nil : item.literal
            } else if path.hasPrefix(item.path + "/") {
                entry = path
            } else if isDirectory && item.path.hasPrefix(path + "/") {
                entry = item.literal  // the pathspec lies inside a directory that appeared, vanished or changed kind
            } else {
                entry = nil
            }
            if let entry, !result.contains(entry) { result.append(entry) }
        }
        return result
    }
}
