/// One changed path between two trees.
public struct DiffDelta: Sendable, Hashable {
    public let status: DiffStatus
    /// The path before the change; nil for `.added`.
    public let oldPath: String?
    /// The path after the change; nil for `.deleted`.
    public let newPath: String?
    /// The blob before the change; nil for `.added`.
    public let oldID: ObjectID?
    /// The blob after the change; nil for `.deleted`.
    public let newID: ObjectID?
    /// Similarity 0...100 for `.renamed` and `.copied`; 0 otherwise.
    public let similarity: Int

    public init(
        status: DiffStatus, oldPath: String?, newPath: String?, oldID: ObjectID?, newID: ObjectID?,
        similarity: Int = 0
    ) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
        self.oldID = oldID
        self.newID = newID
        self.similarity = similarity
    }

    /// The paths this change touches (one, or two for renames and copies), for "which bundles changed".
    public var paths: [String] {
        switch (oldPath, newPath) {
        case (let old?, let new?) where old != new: [old, new]
        case (let old?, _): [old]
        case (nil, let new?): [new]
        case (nil, nil): []
        }
    }
}
