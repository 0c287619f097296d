#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system paths as strings, with the C library alone: what the daemon needs of Foundation's
/// `NSString` path methods, which would load the whole of Foundation (and ICU) into the process.
public enum LocalPath {
    /// `component` below `directory`, one '/' between them: "a/" + "/b" is "a/b".
    public static func join(_ directory: String, _ component: String) -> String {
        let tail = component.drop { $0 == "/" }
        if directory.isEmpty { return String(tail) }
        if tail.isEmpty { return directory }
        return directory.hasSuffix("/") ? directory + tail : directory + "/" + tail
    }

    /// The folder holding `path`: "/a/b" and "/a/b/" are in "/a", "/a" in "/", "b" in ".".
    public static func parent(of path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of `path`: "/a/b/" is "b", "/" is "/".
    public static func lastComponent(of path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        guard path != "/", let slash = path.lastIndex(of: "/") else { return String(path) }
        return String(path[path.index(after: slash)...])
    }

    /// `path` made absolute against `base` (a leading `~` or `~user` is that home folder), with
    /// "." and ".." removed and every symbolic link that exists resolved, as `realpath -m` does:
    /// parts that do not exist yet (a state folder to be created) are kept as written.
    public static func resolved(_ path: String, relativeTo base: String, home: String?) -> String {
        let expanded = expandingTilde(path, home: home)
        var pending = Array(expanded.split(separator: "/", omittingEmptySubsequences: true).reversed())
        if !expanded.hasPrefix("/") {
            pending += base.split(separator: "/", omittingEmptySubsequences: true).reversed()
        }
        var resolved: [Substring] = []
        var linksFollowed = 0
        while let component = pending.popLast() {
            switch component {
            case ".": continue
            case "..": _ = resolved.popLast()
            default:
                resolved.append(component)
                // The loop limit is the kernel's (ELOOP): a cycle of links is left as written.
                guard linksFollowed < 40, let target = symbolicLinkTarget("/" + resolved.joined(separator: "/")) else { continue }
                linksFollowed += 1
                resolved.removeLast()
                if target.hasPrefix("/") { resolved.removeAll() }
                pending += target.split(separator: "/", omittingEmptySubsequences: true).reversed()
            }
        }
        return "/" + resolved.joined(separator: "/")
    }

    /// "~" and "~/x" in `home`, "~user/x" in that user's home; anything else, and an unknown user, as is.
    static func expandingTilde(_ path: String, home: String?) -> String {
        guard path.hasPrefix("~") else { return path }
        let user = path.dropFirst().prefix { $0 != "/" }
        let rest = path.dropFirst(1 + user.count)
        let folder: String?
        if user.isEmpty {
            folder = home ?? homeFolder(ofUser: nil)
        } else {
            folder = homeFolder(ofUser: String(user))
        }
        guard let folder else { return path }
        return rest.isEmpty ? folder : join(folder, String(rest))
    }

    private static func homeFolder(ofUser user: String?) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = buffer.withUnsafeMutableBufferPointer { buffer in
            if let user { return getpwnam_r(user, &entry, buffer.baseAddress!, buffer.count, &result) }
            return getpwuid_r(geteuid(), &entry, buffer.baseAddress!, buffer.count, &result)
        }
        guard status == 0, result != nil, let directory = entry.pw_dir else { return nil }
        return String(cString: directory)
    }

    /// Whether `path` is a folder, or a link to one.
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` itself is a symbolic link (not followed).
    public static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }

    /// What the link at `path` points to, or nil when `path` is not a symbolic link.
    private static func symbolicLinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { readlink(path, $0.baseAddress!, $0.count - 1) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
