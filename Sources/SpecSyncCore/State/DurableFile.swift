#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file's contents so that a crash or power loss leaves the old or the new contents:
/// write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
public enum DurableFile {
    public struct Failure: Error, CustomStringConvertible {
        public let step: String
        public let errno: Int32

        public var description: String { "\(step) failed: \(SystemErrorText.text(ofErrno: errno))" }
    }

    public static func write(_ data: some ContiguousBytes, to path: String, permissions: mode_t = 0o600) throws(Failure) {
        try replace(path, permissions: permissions) { descriptor, temporary in
            data.withUnsafeBytes { buffer in writeAll(buffer, to: descriptor, step: "writing \(temporary)") }
        }
    }

    /// Replaces `destination` with a copy of `source`, read and written 64 KB at a time: a state
    /// file of 50,000 records is 23 MB, which a copy through memory would hold twice at once.
    public static func copy(_ source: String, to destination: String, permissions: mode_t = 0o600) throws(Failure) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw Failure(step: "opening \(source)", errno: errno) }
        defer { close(input) }
        try replace(destination, permissions: permissions) { descriptor, temporary in
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    return Failure(step: "reading \(source)", errno: errno)
                }
                if count == 0 { return nil }
                let failure = chunk.withUnsafeBytes { buffer in
                    writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<count]), to: descriptor, step: "writing \(temporary)")
                }
                if let failure { return failure }
            }
        }
    }

    private static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32, step: String) -> Failure? {
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return Failure(step: step, errno: errno)
            }
            offset += written
        }
        return nil
    }

    /// A temporary file beside `path`, filled by `fill`, flushed and renamed over `path`.
    private static func replace(
        _ path: String, permissions: mode_t, fill: (_ descriptor: Int32, _ temporary: String) -> Failure?
    ) throws(Failure) {
        let directory = LocalPath.parent(of: path)
        let temporary = LocalPath.join(directory,
            ".\(LocalPath.lastComponent(of: path)).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw Failure(step: "creating \(temporary)", errno: errno) }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        let failure: Failure? = {
            if let failure = fill(descriptor, temporary) { return failure }
            if fsync(descriptor) != 0 { return Failure(step: "flushing \(temporary)", errno: errno) }
            closed = true
            if close(descriptor) != 0 { return Failure(step: "closing \(temporary)", errno: errno) }
            if rename(temporary, path) != 0 { return Failure(step: "renaming \(temporary) to \(path)", errno: errno) }
            return nil
        }()
        if let failure {
            unlink(temporary)
            throw failure
        }
        try syncDirectory(directory)
    }

    /// Gives `existing` a second name, `path` (replacing what was there), without copying or
    /// flushing: the contents are the file's own, durable once it was. The new name is durable with
    /// the folder's next flush. False where the file system refuses hard links: copy instead.
    public static func link(_ existing: String, as path: String) -> Bool {
        let directory = LocalPath.parent(of: path)
        let temporary = LocalPath.join(directory,
            ".\(LocalPath.lastComponent(of: path)).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).link")
        guard Glibc.link(existing, temporary) == 0 else { return false }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// Makes a rename in `directory` durable.
    public static func syncDirectory(_ directory: String) throws(Failure) {
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(step: "opening \(directory)", errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(step: "flushing \(directory)", errno: errno) }
    }
}
