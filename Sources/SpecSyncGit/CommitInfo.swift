#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the sync needs to know about one commit; a value, so it can leave the repository's thread.
public struct CommitInfo: Sendable, Hashable {
    public let id: ObjectID
    /// The commit's root tree.
    public let tree: ObjectID
    /// Parent commits, first parent first (the branch that was merged into).
    public let parents: [ObjectID]
    /// The first paragraph of the message, on one line (`git log --format=%s`).
    public let summary: String
    /// The committer time.
    public let time: Date
    /// The author's name and e-mail, e.g. "Ada <ada@example.com>".
    public let author: String

    public init(id: ObjectID, tree: ObjectID, parents: [ObjectID], summary: String, time: Date, author: String) {
        self.id = id
        self.tree = tree
        self.parents = parents
        self.summary = summary
        self.time = time
        self.author = author
    }

    public var isMerge: Bool { parents.count > 1 }
}
