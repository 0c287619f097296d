/// What `GitRepository.readBlobs` found: each blob's size, the contents of those small enough to
/// read, and the blobs that could not be read at all (a missing or corrupt object), each with why.
public struct BlobReadout: Sendable {
    public var sizes: [ObjectID: Int] = [:]
    public var contents: [ObjectID: [UInt8]] = [:]
    public var failures: [ObjectID: GitError] = [:]

    public init() {}
}
