/// What a tree entry points at. Submodules appear as `.commit` (a gitlink): their contents are not here.
public enum TreeEntryKind: Sendable, Hashable {
    case blob
    case tree
    case commit
    case other
}
