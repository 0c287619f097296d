#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a target's state, so two runs never write it at once. It is an `flock` on
/// `<state>.lock`: the kernel releases it when the holder dies, so a lock left by a crashed or
/// killed run is recovered by the next one without guessing. The file records the holder's pid and
/// host for the message a refused run prints.
public final class StateLock: StateLease, @unchecked Sendable {
    public let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock or throws at once, naming who holds it.
    public static func acquire(forState statePath: String) throws(StateLockError) -> StateLock {
        let path = statePath + ".lock"
        let directory = LocalPath.parent(of: path)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateLockError(path: path, message: "cannot open the lock file: \(SystemErrorText.text(ofErrno: errno))",
                                 help: "check that \(directory) exists and is writable")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingWhitespaceAndNewlines()
            close(descriptor)
            if busy {
                throw StateLockError(path: path, message: "another specsync run holds the state lock (\(holder.map { $0.isEmpty ? "holder unknown" : $0 } ?? "holder unknown"))",
                                     help: "wait for it to finish; the lock is released when that process exits")
            }
            throw StateLockError(path: path, message: "cannot lock: \(SystemErrorText.text(ofErrno: errno))", help: "check the file system supports flock")
        }
        let holder = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName)\n"
        ftruncate(descriptor, 0)
        _ = holder.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return StateLock(path: path, descriptor: descriptor)
    }

    /// Whether this process still holds the lock (`release` not yet called).
    public var isHeld: Bool { descriptor >= 0 }

    public func release() {
        guard descriptor >= 0 else { return }
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }
}

public struct StateLockError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public let help: String

    public init(path: String, message: String, help: String) {
        self.path = path
        self.message = message
        self.help = help
    }

    public var description: String { "\(path): \(message); \(help)" }
}
