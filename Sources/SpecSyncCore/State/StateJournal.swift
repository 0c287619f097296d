#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncJSON

/// The append-only file beside a state file that holds the changes made since the state file was
/// last written whole: one JSON line per change, flushed to disk before the change counts as made.
///
/// Recording an outcome then costs one short append and one `fdatasync`, not a rewrite of every
/// record, so a pass that sends a thousand bodies writes a thousand lines rather than a thousand
/// copies of the state. A crash can only tear the line being written; reading ignores such a tail
/// and the next append cuts it off.
public final class StateJournal {
    public let path: String
    private var descriptor: Int32?
    /// Entries in the file, counted since it was opened or emptied: when to fold them into the state file.
    public private(set) var count = 0

    public init(path: String) { self.path = path }

    deinit { close() }

    /// Appends `entry` durably. On failure the journal is as it was before the call.
    public func append(_ entry: StateJournalEntry) throws(StateError) {
        try write(entry)
        guard let syncHandle else { return }
        try syncHandle.sync()
    }

    /// Appends `entry` without waiting for the disk: durable once a later `sync` returns. Several
    /// writes then share one flush. On failure the journal is as it was before the call.
    public func write(_ entry: StateJournalEntry) throws(StateError) {
        var line: [UInt8] = []
        line.reserveCapacity(512)
        StateLineWriter.write(entry, into: &line)
        line.append(UInt8(ascii: "\n"))
        let descriptor = try open()
        let start = lseek(descriptor, 0, SEEK_END)
        let failure: DurableFile.Failure? = line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return DurableFile.Failure(step: "appending to \(path)", errno: errno)
                }
                offset += written
            }
            return nil
        }
        if let failure {
            // Take back a partial line so that the next append does not follow garbage; a journal
            // that held nothing is removed rather than left empty.
            if start > 0 {
                _ = ftruncate(descriptor, start)
            } else {
                close()
                unlink(path)
            }
            throw StateError(path: path, problem: "could not be written: \(failure.description)",
                             help: "the previous state is unchanged; check free space and permissions of \(LocalPath.parent(of: path))")
        }
        count += 1
    }

    /// Flushes what was written so far, from any thread, while the journal stays open.
    public struct SyncHandle: Sendable {
        let descriptor: Int32
        let path: String

        public func sync() throws(StateError) {
            guard fdatasync(descriptor) == 0 else {
                throw StateError(path: path, problem: "could not be flushed: \(SystemErrorText.text(ofErrno: errno))",
                                 help: "the last outcomes may not be on disk; check the disk, then run again (they are looked up by name)")
            }
        }
    }

    /// Nil while the file is not open (nothing written since it was last closed).
    public var syncHandle: SyncHandle? { descriptor.map { SyncHandle(descriptor: $0, path: path) } }

    /// Closes the file; the next append opens it again (after the state file took its entries in).
    public func close() {
        if let descriptor { Glibc.close(descriptor) }
        descriptor = nil
        count = 0
    }

    private func open() throws(StateError) -> Int32 {
        if let descriptor { return descriptor }
        let existed = access(path, F_OK) == 0
        let descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateError(path: path, problem: "cannot be opened: \(SystemErrorText.text(ofErrno: errno))",
                             help: "check free space and permissions of \(LocalPath.parent(of: path))")
        }
        do {
            if existed {
                try Self.cutTornTail(descriptor)
            } else {
                try DurableFile.syncDirectory(LocalPath.parent(of: path))
            }
        } catch {
            Glibc.close(descriptor)
            throw StateError(path: path, problem: "cannot be prepared: \(error.description)",
                             help: "check free space and permissions of \(LocalPath.parent(of: path))")
        }
        self.descriptor = descriptor
        return descriptor
    }

    /// A crash during an append leaves a line without its newline: cut it off before appending.
    private static func cutTornTail(_ descriptor: Int32) throws(DurableFile.Failure) {
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return }
        var end = size
        var byte: UInt8 = 0
        while end > 0, pread(descriptor, &byte, 1, end - 1) == 1, byte != UInt8(ascii: "\n") { end -= 1 }
        guard end < size else { return }
        guard ftruncate(descriptor, end) == 0, fdatasync(descriptor) == 0 else {
            throw DurableFile.Failure(step: "cutting the torn last line", errno: errno)
        }
    }


    /// The complete entries of the journal at `path` in order; a torn last line is left out.
    public static func entries(at path: String) throws(StateError) -> [StateJournalEntry] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return []
        } catch {
            throw StateError(path: path, problem: "cannot be read (\(SystemErrorText.describe(error)))",
                             help: "check the file's permissions")
        }
        let decoder = StateStore.decoder
        var entries: [StateJournalEntry] = []
        var lineNumber = 0
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lineNumber += 1
            let help = "move it away to fall back to the state file as last written whole (changes since then are synced again)"
            do {
                entries.append(try decoder.decode(StateJournalEntry.self, from: data[start..<newline]))
            } catch {
                // The strict parser says where the syntax breaks; the decoder only that it does.
                do {
                    _ = try JSONParser().parse(Array(data[start..<newline]))
                } catch {
                    throw StateError(path: path, problem: "is corrupted at line \(lineNumber), column \(error.column): \(error.message)", help: help)
                }
                throw StateError(path: path, problem: "is corrupted at line \(lineNumber): \(StateStore.describe(error))", help: help)
            }
            start = newline + 1
        }
        return entries
    }
}
