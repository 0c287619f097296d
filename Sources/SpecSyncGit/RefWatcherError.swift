#if canImport(Glibc)
import Glibc
#endif

/// Why inotify could not watch the refs.
public struct RefWatcherError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ call: String, path: String? = nil, errno code: Int32) {
        let reason = String(cString: strerror(code))
        let limit = code == ENOSPC ? " (the inotify watch limit, fs.inotify.max_user_watches, is reached)" : ""
        description = "\(call)\(path.map { " '\($0)'" } ?? "") failed: \(reason)\(limit)"
    }
}
