import Foundation
import SpecSyncCore

/// The bundles in a folder on disk, as they are now (uncommitted edits included): what
/// `specsync validate PATH` checks before anything is committed.
public struct DirectorySource: BundleSource {
    /// The folder that contains the layout's root.
    public let directory: String
    public let layout: BundleLayout

    public init(directory: String, layout: BundleLayout) {
        self.directory = directory
        self.layout = layout
    }

    public var label: String { directory }

    var rootURL: URL { URL(fileURLWithPath: directory).appendingPathComponent(layout.root, isDirectory: true) }

    public func bundleIDs() async throws -> [BundleID] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: rootURL.path) else { return [] }
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            var isDirectory: ObjCBool = false
            let path = rootURL.appendingPathComponent(name).path
            return manager.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue && !Self.isSymlink(path)
        }.map(BundleID.init).sorted()
    }

    public func bundles(_ ids: [BundleID]) async throws -> [SpecBundle] {
        ids.map { id in
            var files: [BundleFileKind: BundleFile] = [:]
            for kind in BundleFileKind.allCases {
                let relative = layout.path(of: kind, in: id)
                let path = URL(fileURLWithPath: directory).appendingPathComponent(relative).path
                if Self.isSymlink(path) {
                    // Never followed: a link could point anywhere outside the repository.
                    files[kind] = BundleFile(path: relative, bytes: [], isSymlink: true)
                } else if let data = FileManager.default.contents(atPath: path) {
                    files[kind] = BundleFile(path: relative, bytes: Array(data))
                }
            }
            return SpecBundle(id: id, files: files)
        }
    }

    static func isSymlink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }
}
