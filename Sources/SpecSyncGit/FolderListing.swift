/// What `GitRepository.listFolders` found: the entries of each folder that exists, and the folders
/// whose tree objects could not be read (missing or corrupt), each with why.
public struct FolderListing: Sendable {
    public var entries: [String: [TreeEntry]] = [:]
    public var failures: [String: GitError] = [:]

    public init() {}
}
