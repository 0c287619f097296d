import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What the watcher and its reader thread share: the inotify descriptor and a pipe that wakes the
/// thread to stop, closed once neither needs them (so `stop()` never writes to a closed or reused
/// descriptor, nor to a pipe without a reader), and why the watch ended by itself.
final class RefWatchDescriptors: Sendable {
    let inotify: Int32
    let wakeRead: Int32
    let wakeWrite: Int32
    let lost = Mutex<String?>(nil)

    init(inotify: Int32, wakeRead: Int32, wakeWrite: Int32) {
        self.inotify = inotify
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
    }

    deinit {
        close(inotify)
        close(wakeRead)
        close(wakeWrite)
    }
}
