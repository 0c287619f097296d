import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches a local repository's refs with inotify, so that a commit starts a pass at once rather
/// than at the next poll.
///
/// git updates a ref by writing `<ref>.lock` and renaming it over the ref, so directories are
/// watched, not files: the git directory (`HEAD`), the common directory (`HEAD`, `packed-refs`; a
/// worktree's refs live there) and every directory under its `refs/`, recursively for nested branch
/// names (a directory created later is added when it appears). Events arriving within `debounce` of
/// each other (a commit writes several files) make one element of `changes`. The stream finishes
/// when the watch is lost (a watched root directory was removed or replaced, a new directory
/// could not be watched) or `stop()` is called; the caller then polls. The reader is a thread of its own
/// blocked in `poll(2)`, off the cooperative pool.
public final class RefWatcher: Sendable {
    /// One element per burst of ref writes: re-read the ref.
    public let changes: AsyncStream<Void>
    private let descriptors: RefWatchDescriptors

    /// Starts watching; throws when inotify is unavailable or a watch cannot be added (the
    /// per-user limit `fs.inotify.max_user_watches` reached): the caller polls instead.
    public init(gitDirectory: String, commonDirectory: String, debounce: Duration = .milliseconds(5)) throws(RefWatcherError) {
        let inotify = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        guard inotify >= 0 else { throw RefWatcherError("inotify_init1", errno: errno) }
        var wake: [Int32] = [-1, -1]
        // pipe2 is not in Swift's Glibc module: the flags are set after pipe().
        guard pipe(&wake) == 0 else {
            let code = errno
            close(inotify)
            throw RefWatcherError("pipe", errno: code)
        }
        guard Self.setFlags(wake[0]), Self.setFlags(wake[1]) else {
            let code = errno
            for descriptor in [inotify] + wake { close(descriptor) }
            throw RefWatcherError("fcntl", errno: code)
        }
        descriptors = RefWatchDescriptors(inotify: inotify, wakeRead: wake[0], wakeWrite: wake[1])
        let loop = RefWatchLoop(descriptors: descriptors, debounce: debounce)
        try loop.addRoots(gitDirectory: Self.trimmed(gitDirectory), commonDirectory: Self.trimmed(commonDirectory))
        var continuation: AsyncStream<Void>.Continuation!
        changes = AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation = $0 }
        loop.continuation = continuation
        loop.start()
    }

    /// Why the watch ended by itself (nil while it runs, or after `stop()`).
    public var lost: String? { descriptors.lost.withLock { $0 } }

    /// Ends the reader thread and finishes `changes`; safe to call more than once.
    public func stop() {
        var byte: UInt8 = 1
        _ = write(descriptors.wakeWrite, &byte, 1)
    }

    deinit { stop() }

    private static func setFlags(_ descriptor: Int32) -> Bool {
        fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0 && fcntl(descriptor, F_SETFL, O_NONBLOCK) == 0
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

