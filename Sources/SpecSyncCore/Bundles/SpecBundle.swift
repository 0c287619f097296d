/// One file of a bundle as read from its source.
public struct BundleFile: Sendable, Hashable {
    /// Above this size a source does not read a file: no spec, sidecar or icon is legitimately this
    /// large, and reading one (a generated dump, a binary committed by mistake) would cost memory
    /// and time for every bundle of the pass.
    public static let maximumSize = 8 << 20

    public let path: String
    /// The contents; empty when the file is larger than `maximumSize` and was left unread.
    public let bytes: [UInt8]
    /// The file's size in bytes, also when it was left unread.
    public let size: Int
    /// The git blob id (hex) when the file came from a commit.
    public let blobID: String?
    /// Symlinks are never followed: a bundle file must be a regular file.
    public let isSymlink: Bool

    public init(path: String, bytes: [UInt8], blobID: String? = nil, isSymlink: Bool = false) {
        self.init(path: path, bytes: bytes, size: bytes.count, blobID: blobID, isSymlink: isSymlink)
    }

    /// A file over `maximumSize`, known only by its size.
    public static func unread(path: String, size: Int, blobID: String? = nil) -> BundleFile {
        BundleFile(path: path, bytes: [], size: size, blobID: blobID, isSymlink: false)
    }

    /// A symbolic link, never followed (it could point anywhere outside the repository); `path` may
    /// be a bundle's folder when that is the link.
    public static func link(path: String, blobID: String? = nil) -> BundleFile {
        BundleFile(path: path, bytes: [], size: 0, blobID: blobID, isSymlink: true)
    }

    private init(path: String, bytes: [UInt8], size: Int, blobID: String?, isSymlink: Bool) {
        self.path = path
        self.bytes = bytes
        self.size = size
        self.blobID = blobID
        self.isSymlink = isSymlink
    }

    /// Too large to be read: `bytes` is empty.
    public var isOversized: Bool { size > Self.maximumSize }
}

/// A connector's files: the connection spec and its sidecars (label, description, category, icon).
public struct SpecBundle: Sendable, Hashable {
    public let id: BundleID
    public var files: [BundleFileKind: BundleFile]
    /// Entries of the bundle that cannot be synced as they are (a submodule, a name git refuses, an
    /// object missing from the repository): each is an error, and the bundle is not sent.
    public var problems: [BundleEntryProblem]

    public init(id: BundleID, files: [BundleFileKind: BundleFile], problems: [BundleEntryProblem] = []) {
        self.id = id
        self.files = files
        self.problems = problems
    }

    public subscript(kind: BundleFileKind) -> BundleFile? { files[kind] }
}
