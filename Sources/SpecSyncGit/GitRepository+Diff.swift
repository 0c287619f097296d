import CLibgit2
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

extension GitRepository {
    /// The changes from `old`'s tree to `new`'s tree (`old` nil = from the empty tree: everything is added).
    ///
    /// `paths` restricts the diff to these literal paths or directory prefixes, e.g. ["Sources/"]
    /// (`GIT_DIFF_DISABLE_PATHSPEC_MATCH`: no glob matching; a trailing '/' matches only a directory).
    /// With `detectRenames`, a deleted path and an added path with similar contents (default threshold 50%)
    /// become one `.renamed` delta; renames across the `paths` boundary stay an add and a delete.
    /// Subtrees whose ids are equal on both sides are never read (see `TreeChangeScanner`), so the cost follows
    /// the size of the change, not of the repository.
    public func diff(
        from old: ObjectID?, to new: ObjectID, paths: [String] = [], detectRenames: Bool = true
    ) throws -> [DiffDelta] {
        let operation = "diff \(old?.hex ?? "the empty tree") to \(new.hex)"
        return try withTree(of: new, operation: operation) { newTree throws(GitError) -> [DiffDelta] in
            if let old {
                return try withTree(of: old, operation: operation) { oldTree throws(GitError) -> [DiffDelta] in
                    try diff(oldTree, newTree, paths: paths, detectRenames: detectRenames, operation: operation)
                }
            }
            return try diff(nil, newTree, paths: paths, detectRenames: detectRenames, operation: operation)
        }
    }

    private func diff(
        _ oldTree: OpaquePointer?, _ newTree: OpaquePointer, paths: [String], detectRenames: Bool,
        operation: String
    ) throws(GitError) -> [DiffDelta] {
        let pathspec = DiffPathspec(paths)
        let pathlist: [String]
        if let oldTree {
            if git_oid_equal(git_tree_id(oldTree), git_tree_id(newTree)) == 1 { return [] }
            let scanner = TreeChangeScanner(trees: largeTrees, pathspec: pathspec, operation: operation)
            let changes = try scanner.changes(old: oldTree, new: newTree)
            // Files changed in place are the whole answer: libgit2's diff would only walk the trees
            // again (its iterators step through every entry of a 50,000-entry folder) to say the same.
            if !changes.needsFullDiff { return changes.modifications }
            pathlist = changes.paths
        } else {
            // From the empty tree everything under the pathspec is new and has to be read anyway.
            pathlist = pathspec.items.map(\.literal)
        }

        var options = git_diff_options()
        try GitError.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), operation)
        options.flags = GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        let strings = CStringArray(pathlist)
        if !pathlist.isEmpty {
            // Literal paths, not globs; also what lets libgit2's tree iterators skip directories off the list.
            options.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
            options.pathspec = strings.strarray
        }

        var diff: OpaquePointer?
        let result = git_diff_tree_to_tree(&diff, repository, oldTree, newTree, &options)
        withExtendedLifetime(strings) {}  // options.pathspec points into it
        try GitError.check(result, operation)
        guard let diff else { throw missing(operation) }
        defer { git_diff_free(diff) }

        if detectRenames {
            var find = git_diff_find_options()
            try GitError.check(git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), operation)
            find.flags = GIT_DIFF_FIND_RENAMES.rawValue
            try GitError.check(git_diff_find_similar(diff, &find), "detect renames in \(operation)")
        }

        let count = git_diff_num_deltas(diff)
        var deltas: [DiffDelta] = []
        deltas.reserveCapacity(count)
        for index in 0..<count {
            guard let delta = git_diff_get_delta(diff, index), let value = Self.diffDelta(delta.pointee) else {
                continue
            }
            deltas.append(value)
        }
        return deltas
    }

    /// A Swift value for a libgit2 delta; nil for statuses a tree-to-tree diff does not produce.
    static func diffDelta(_ delta: git_diff_delta) -> DiffDelta? {
        let status: DiffStatus
        switch delta.status {
        case GIT_DELTA_ADDED: status = .added
        case GIT_DELTA_DELETED: status = .deleted
        case GIT_DELTA_MODIFIED: status = .modified
        case GIT_DELTA_RENAMED: status = .renamed
        case GIT_DELTA_COPIED: status = .copied
        case GIT_DELTA_TYPECHANGE: status = .typeChanged
        default: return nil
        }
        let hasOld = status != .added
        let hasNew = status != .deleted
        return DiffDelta(
            status: status,
            oldPath: hasOld ? delta.old_file.path.map { String(cString: $0) } : nil,
            newPath: hasNew ? delta.new_file.path.map { String(cString: $0) } : nil,
            oldID: hasOld ? ObjectID(delta.old_file.id) : nil,
            newID: hasNew ? ObjectID(delta.new_file.id) : nil,
            similarity: status == .renamed || status == .copied ? Int(delta.similarity) : 0)
    }
}

/// A `git_strarray` over C copies of Swift strings, freed with the object. Keep it alive across the C call.
final class CStringArray {
    private let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointers = .allocate(capacity: max(count, 1))
        for (index, string) in strings.enumerated() {
            (pointers + index).initialize(to: strdup(string))
        }
    }

    deinit {
        for index in 0..<count { free(pointers[index]) }
        pointers.deallocate()
    }

    /// Valid while this object lives; NULL strings when empty so libgit2 treats it as "no entries".
    var strarray: git_strarray {
        git_strarray(strings: count == 0 ? nil : pointers, count: count)
    }
}
