#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
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
        guard layout.resource == .connectionSpec else { return connectionIDs() }
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: rootURL.path) else { return [] }
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            let path = rootURL.appendingPathComponent(name).path
            // A link in place of a bundle folder is a bundle too, so that it is reported rather than skipped.
            return LocalPath.isSymbolicLink(path) || LocalPath.isDirectory(path)
        }.map { BundleID($0) }.sorted()
    }

    public func bundles(_ ids: [BundleID]) async throws -> [SpecBundle] {
        ids.map { id in
            // Never followed, at any level: a link could point anywhere outside the repository.
            if let link = linkedFolder(of: id) {
                return SpecBundle(id: id, files: [.spec: .link(path: link)])
            }
            var files: [BundleFileKind: BundleFile] = [:]
            for kind in layout.fileKinds {
                let relative = layout.path(of: kind, in: id)
                let path = URL(fileURLWithPath: directory).appendingPathComponent(relative).path
                var status = stat()
                guard lstat(path, &status) == 0 else { continue }
                if (status.st_mode & S_IFMT) == S_IFLNK {
                    files[kind] = .link(path: relative)
                } else if Int(status.st_size) > BundleFile.maximumSize {
                    files[kind] = .unread(path: relative, size: Int(status.st_size))
                } else if let data = FileManager.default.contents(atPath: path) {
                    files[kind] = BundleFile(path: relative, bytes: Array(data))
                }
            }
            return SpecBundle(id: id, files: files)
        }
    }

    /// The first folder on the way to the bundle's files that is a link, as a repository path.
    func linkedFolder(of id: BundleID) -> String? {
        layout.folders(leadingTo: id).first { LocalPath.isSymbolicLink(URL(fileURLWithPath: directory).appendingPathComponent($0).path) }
    }

    /// Connection files at the layout's depth; symlinked folders are not descended into.
    func connectionIDs() -> [BundleID] {
        var found: [BundleID] = []
        func visit(_ relative: String, depth: Int) {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(relative).path
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names where !name.hasPrefix(".") {
                let child = relative + "/" + name
                if depth < layout.fileDepth, !LocalPath.isSymbolicLink(path + "/" + name) {
                    visit(child, depth: depth + 1)
                }
                if let (id, _) = layout.fileKind(of: child) { found.append(id) }
            }
        }
        visit(layout.root, depth: 1)
        return Set(found).sorted()
    }

}
