/// One entry of a commit's tree, with the full path from the root so callers never have to rebuild it.
public struct TreeEntry: Sendable, Hashable {
    /// Full '/'-separated path from the root of the commit's tree ("" for the root itself).
    public let path: String
    /// The last path component ("" for the root).
    public let name: String
    public let id: ObjectID
    public let kind: TreeEntryKind
    /// The git file mode: 0o100644, 0o100755, 0o120000 (symlink), 0o040000 (tree), 0o160000 (submodule).
    public let fileMode: UInt32

    public init(path: String, name: String, id: ObjectID, kind: TreeEntryKind, fileMode: UInt32) {
        self.path = path
        self.name = name
        self.id = id
        self.kind = kind
        self.fileMode = fileMode
    }

    /// A symbolic link: its blob holds the link target, not file contents.
    public var isSymlink: Bool { Self.isSymlink(fileMode) }
    /// An executable regular file.
    public var isExecutable: Bool { fileMode == 0o100755 }
    /// A regular file or executable (not a symlink), whose blob is the file's contents.
    public var isRegularFile: Bool { kind == .blob && !isSymlink }
    /// A submodule: the entry names a commit of another repository, whose files are not here.
    public var isGitlink: Bool { Self.isGitlink(kind, fileMode) }

    /// The same tests on an entry's kind, mode and name alone, for listings that make no `TreeEntry`.
    public static func isSymlink(_ fileMode: UInt32) -> Bool { fileMode == 0o120000 }
    public static func isGitlink(_ kind: TreeEntryKind, _ fileMode: UInt32) -> Bool { kind == .commit || fileMode == 0o160000 }

    /// Why git itself would refuse to check this entry out, as a phrase completing "the entry …";
    /// nil for a name git accepts. Such trees are only made with plumbing (`git mktree`,
    /// `git hash-object --literally`), never by `git add`.
    public var refusedName: String? { Self.refusal(ofName: name) }

    /// `refusedName` for an entry named `name`.
    public static func refusal(ofName name: String) -> String? {
        if name.isEmpty { return "has an empty name" }
        if name == "." || name == ".." { return "is named '\(name)', which git refuses to check out" }
        if name.lowercased() == ".git" { return "is named '\(name)', which git reserves for its own folder" }
        if name.utf8.contains(UInt8(ascii: "/")) { return "has a name containing '/', which git refuses to check out" }
        if name.utf8.contains(0) { return "has a name containing a NUL byte, which git refuses to check out" }
        return nil
    }
}
