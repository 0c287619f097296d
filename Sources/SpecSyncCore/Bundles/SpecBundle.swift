/// One file of a bundle as read from its source.
public struct BundleFile: Sendable, Hashable {
    public let path: String
    public let bytes: [UInt8]
    /// The git blob id (hex) when the file came from a commit.
    public let blobID: String?
    /// Symlinks are never followed: a bundle file must be a regular file.
    public let isSymlink: Bool

    public init(path: String, bytes: [UInt8], blobID: String? = nil, isSymlink: Bool = false) {
        self.path = path
        self.bytes = bytes
        self.blobID = blobID
        self.isSymlink = isSymlink
    }
}

/// A connector's files: the connection spec and its sidecars (label, description, category, icon).
public struct SpecBundle: Sendable, Hashable {
    public let id: BundleID
    public var files: [BundleFileKind: BundleFile]

    public init(id: BundleID, files: [BundleFileKind: BundleFile]) {
        self.id = id
        self.files = files
    }

    public subscript(kind: BundleFileKind) -> BundleFile? { files[kind] }
}
