/// How a path changed between two trees.
public enum DiffStatus: Sendable, Hashable {
    case added
    case deleted
    case modified
    /// Found by similarity (the old path is gone, a similar new one appeared).
    case renamed
    case copied
    /// The same path changed kind, e.g. a file became a symlink.
    case typeChanged
}
