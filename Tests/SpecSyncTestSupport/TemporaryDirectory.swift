import Foundation

/// A directory under the system's temporary folder that tests create and remove.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public var path: String { url.path }

    public init(prefix: String = "specsync-test") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `contents` at `relativePath`, creating intermediate directories.
    @discardableResult
    public func write(_ contents: String, to relativePath: String) throws -> URL {
        try write(Data(contents.utf8), to: relativePath)
    }

    @discardableResult
    public func write(_ data: Data, to relativePath: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }
}
