import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The reader thread's state: touched only on that thread once `start()` runs.
final class RefWatchLoop: @unchecked Sendable {
    private enum Role {
        /// The git or common directory: only these names are refs.
        case root(Set<String>)
        /// A directory under `refs/`: every entry but a `.lock` file.
        case refs
    }

    private let descriptors: RefWatchDescriptors
    private let debounce: Duration
    private var watches: [Int32: (path: String, role: Role)] = [:]
    private var rootWatches: Set<Int32> = []
    var continuation: AsyncStream<Void>.Continuation?

    private static let directoryEvents = UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM)
        | UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    init(descriptors: RefWatchDescriptors, debounce: Duration) {
        self.descriptors = descriptors
        self.debounce = debounce
    }

    func addRoots(gitDirectory: String, commonDirectory: String) throws(RefWatcherError) {
        if gitDirectory == commonDirectory {
            try add(gitDirectory, role: .root(["HEAD", "packed-refs"]), isRoot: true)
        } else {
            // A worktree: its own HEAD here; refs, packed-refs and the main HEAD in the common directory.
            try add(gitDirectory, role: .root(["HEAD"]), isRoot: true)
            try add(commonDirectory, role: .root(["HEAD", "packed-refs"]), isRoot: true)
        }
        try addTree(commonDirectory + "/refs", isRoot: true)
    }

    private func add(_ path: String, role: Role, isRoot: Bool) throws(RefWatcherError) {
        let descriptor = inotify_add_watch(descriptors.inotify, path, Self.directoryEvents)
        guard descriptor >= 0 else { throw RefWatcherError("inotify_add_watch", path: path, errno: errno) }
        watches[descriptor] = (path, role)
        if isRoot { rootWatches.insert(descriptor) }
    }

    /// Watches `path` and every directory below it.
    private func addTree(_ path: String, isRoot: Bool = false) throws(RefWatcherError) {
        try add(path, role: .refs, isRoot: isRoot)
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            guard entry.pointee.d_type == UInt8(DT_DIR) || entry.pointee.d_type == UInt8(DT_UNKNOWN) else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name != "." && name != ".." else { continue }
            let child = path + "/" + name
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) && !Self.isDirectory(child) { continue }
            try addTree(child)
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & UInt32(S_IFMT)) == UInt32(S_IFDIR)
    }

    func start() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { context in
            let loop = Unmanaged<RefWatchLoop>.fromOpaque(context!).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<RefWatchLoop>.fromOpaque(context).release()
            finish(lost: "cannot start the ref watcher's thread: error \(created)")
            return
        }
        pthread_detach(handle)
    }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var pendingSince: ContinuousClock.Instant?
        var lastEvent = ContinuousClock.now
        while true {
            var timeout: Int32 = -1
            if pendingSince != nil {
                let left = debounce - (ContinuousClock.now - lastEvent)
                timeout = left <= .zero ? 0 : Int32(max(1, Self.milliseconds(left)))
            }
            var fds = [pollfd(fd: descriptors.inotify, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: descriptors.wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return finish(lost: "poll on the inotify descriptor failed: \(String(cString: strerror(errno)))")
            }
            if fds[1].revents != 0 { return finish(lost: nil) }
            if fds[0].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptors.inotify, $0.baseAddress, $0.count) }
                if count < 0 && errno != EAGAIN && errno != EINTR {
                    return finish(lost: "reading inotify events failed: \(String(cString: strerror(errno)))")
                }
                if count > 0 {
                    switch handle(buffer, count: count) {
                    case .none: break
                    case .relevant:
                        pendingSince = pendingSince ?? .now
                        lastEvent = .now
                    case .lost(let reason): return finish(lost: reason)
                    }
                }
            }
            // Quiet for `debounce` (or busy for 20 of them): one change for the whole burst.
            if let since = pendingSince, ContinuousClock.now - lastEvent >= debounce || ContinuousClock.now - since >= debounce * 20 {
                pendingSince = nil
                continuation?.yield()
            }
        }
    }

    private enum Outcome { case none, relevant, lost(String) }

    /// Walks the `inotify_event`s in `buffer` (each a fixed head and `len` bytes of name).
    private func handle(_ buffer: [UInt8], count: Int) -> Outcome {
        var outcome = Outcome.none
        var offset = 0
        let head = 16  // wd, mask, cookie, len: four 32-bit fields
        while offset + head <= count {
            let (descriptor, mask, length) = buffer.withUnsafeBytes { bytes in
                (bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                 bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                 Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
            }
            let nameBytes = buffer[(offset + head)..<min(count, offset + head + length)]
            let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            offset += head + length

            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                // Events were dropped: re-reading the ref is enough, the watches themselves stand.
                outcome = .relevant
                continue
            }
            if mask & UInt32(IN_IGNORED) != 0 {
                let wasRoot = rootWatches.contains(descriptor)
                let path = watches.removeValue(forKey: descriptor)?.path
                if wasRoot { return .lost("'\(path ?? "?")' was removed or replaced") }
                outcome = .relevant
                continue
            }
            guard let watch = watches[descriptor] else { continue }
            if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                if rootWatches.contains(descriptor) { return .lost("'\(watch.path)' was removed or moved") }
                outcome = .relevant
                continue
            }
            switch watch.role {
            case .root(let names):
                if names.contains(name) { outcome = .relevant }
            case .refs:
                if mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    // A new directory for a nested branch name: watch it, and count what is already in it.
                    do {
                        try addTree(watch.path + "/" + name)
                    } catch {
                        return .lost(error.description)
                    }
                    outcome = .relevant
                } else if !name.hasSuffix(".lock") {
                    outcome = .relevant
                }
            }
        }
        return outcome
    }

    private func finish(lost reason: String?) {
        if let reason { descriptors.lost.withLock { $0 = reason } }
        continuation?.finish()
        continuation = nil
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
