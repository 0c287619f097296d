#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SpecSyncJSON

/// Reads a target's state file. A missing file is an empty state; anything unreadable is an error
/// that names the file and what to do, never silently replaced.
public struct StateStore: Sendable {
    /// Set to 1 for one run to take a state file whose checksum does not hold (see `acceptsEditedFile`).
    public static let acceptEditVariable = "SPECSYNC_ACCEPT_STATE_EDIT"

    public let path: String
    /// Whether a file in a checksummed schema (2 or later) whose checksum does not hold (edited by hand, flipped
    /// on disk, reformatted) is read anyway, and written again at once with a checksum; otherwise
    /// it is refused, naming the records that differ from the backup.
    public let acceptsEditedFile: Bool

    public init(path: String, acceptsEditedFile: Bool = false) {
        self.path = path
        self.acceptsEditedFile = acceptsEditedFile
    }

    /// `acceptsEditedFile` as the environment sets it (`SPECSYNC_ACCEPT_STATE_EDIT=1`).
    public init(path: String, environment: [String: String]) {
        self.init(path: path, acceptsEditedFile: environment[Self.acceptEditVariable] == "1")
    }

    public var backupPath: String { path + ".backup" }

    /// The changes made since the state file was last written whole (see `StateJournal`).
    public var journalPath: String { path + ".journal" }

    /// The state as last recorded: the state file with its journal's entries applied. `holdingLock`:
    /// whether the caller holds the state lock (an accepted edit is then written again under it).
    public func load(holdingLock: Bool = false) throws(StateError) -> SyncState? {
        let bytes: [UInt8]
        switch Self.contents(of: path) {
        case .success(let contents):
            bytes = contents
        case .failure(let error) where error.code == ENOENT:
            guard try StateJournal.entries(at: journalPath).isEmpty else {
                throw StateError(path: path, problem: "is missing but its journal \(journalPath) is not",
                                 help: "restore the state file from \(backupPath), or move the journal away to start from an empty state")
            }
            return nil
        case .failure(let error):
            let reason = error.code == EISDIR ? "it is a folder" : SystemErrorText.text(ofErrno: error.code)
            throw StateError(path: path, problem: "cannot be read: \(reason)",
                             help: "it must be a regular file that specsync's user can read and write")
        }
        var edited = false
        var state = try decode(bytes, edited: &edited)
        for entry in try StateJournal.entries(at: journalPath) where entry.serial > state.serial {
            state.apply(entry)
        }
        // Accepted: written again at once with a checksum (the edited file becomes the backup), so
        // the acceptance is needed once, not until some pass happens to record something. Only under
        // the state lock: a read-only command takes it for the write, and leaves the file as it is
        // while another run holds it (that run's own writes would race this one).
        if edited {
            if holdingLock {
                try save(state)
            } else if let lock = try? StateLock.acquire(forState: path) {
                defer { lock.release() }
                try save(state)
            }
        }
        return state
    }

    struct ReadFailure: Error {
        let code: Int32
    }

    /// The whole file in one read into one buffer: a state of 50,000 records is 23 MB, which
    /// Foundation would read in pieces and copy again. Failures keep the system's errno, which
    /// says why in the system's words ("Permission denied").
    static func contents(of path: String) -> Result<[UInt8], ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadFailure(code: errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(ReadFailure(code: errno)) }
        if (status.st_mode & S_IFMT) == S_IFDIR { return .failure(ReadFailure(code: EISDIR)) }
        // Read straight into the array's memory, not into zeros written first (at 100,000 records,
        // 46 MB, the zeros were a tenth of a pass with nothing to do, page faults included).
        let expected = max(Int(status.st_size), 0) + 1  // one more: a file that grew is still read whole
        var failure: Int32?
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
            Self.adviseHugePages(buffer)
            while initialized < buffer.count {
                let count = read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if count == 0 { return }
                initialized += count
            }
        }
        if let failure { return .failure(ReadFailure(code: failure)) }
        if bytes.count < expected { return .success(bytes) }
        // It grew since fstat: the rest in pieces.
        let capacity = 64 * 1024
        while true {
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: capacity))
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + start, capacity) }
            if count < 0 {
                if errno == EINTR { bytes.removeLast(capacity); continue }
                return .failure(ReadFailure(code: errno))
            }
            bytes.removeLast(capacity - count)
            if count == 0 { return .success(bytes) }
        }
    }

    /// The last synced commit as the file's first line names it, read without the rest and
    /// unverified: a hint for reading ahead (the tree diff's base) while the state loads, never
    /// for a decision. Nil for anything else: no file, an older schema, a line it cannot read.
    public func lastSyncedCommitHint() -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var head = [UInt8](repeating: 0, count: 4096)
        let count = head.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        guard count > 0 else { return nil }
        return StateFileFormat.lastSyncedCommit(inHead: head[..<count])
    }

    /// Asks for 2 MB pages under the buffer a large state is read into: at 100,000 records the
    /// 46 MB took 11,000 page faults, a third of the state's load.
    static func adviseHugePages(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        let huge = 2 * 1024 * 1024
        guard buffer.count >= 2 * huge, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(huge - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE)
    }

    /// The state of `target`: a missing file is a new, empty state; a state that belongs to another
    /// remote (a copied file, a changed org or sandbox) is refused rather than written over. A state
    /// of the same remote under another address, name or older identity form is taken over: its
    /// identity is brought up to date when it is next written.
    public func load(for target: TargetIdentity) throws(StateError) -> SyncState {
        guard var state = try load() else { return SyncState(target: target) }
        guard state.target.isSameRemote(as: target) else {
            throw StateError(path: path, problem: "belongs to \(state.target), not to \(target)",
                             help: "point state.directory elsewhere or choose the right --target; if this target really moved to that account, run `specsync state rebind --target \(target.name)`")
        }
        state.target = target
        return state
    }

    func decode(_ bytes: [UInt8]) throws(StateError) -> SyncState {
        var edited = false
        return try decode(bytes, edited: &edited)
    }

    /// `edited` is set when the file is in a checksummed schema without a sound checksum and was accepted.
    func decode(_ bytes: [UInt8], edited: inout Bool) throws(StateError) -> SyncState {
        if let state = StateFileFormat.read(bytes) { return state }
        let document: JSONValue
        do {
            document = try JSONParser().parse(bytes)
        } catch {
            throw StateError(path: path, problem: "is corrupted at \(error.line):\(error.column): \(error.message)",
                             help: "restore \(backupPath) or move the file away to start from an empty state")
        }
        var schema: Int?
        if case .number(let version)? = document[JSONPointer("/schemaVersion")] {
            schema = Int(version)
            if let number = schema, number > SyncState.currentSchemaVersion { throw newerSchema(number) }
        }
        // Read whole: an older schema, or a file in the current one whose checksum does not hold.
        // Written back in the current schema.
        var state: SyncState
        if let fast = SyncState.fastDecode(document) {
            state = fast
        } else {
            do {
                state = try Self.decoder.decode(SyncState.self, from: Data(bytes))
            } catch {
                throw StateError(path: path, problem: "does not have the expected shape (\(Self.describe(error)))",
                                 help: "restore \(backupPath) or move the file away to start from an empty state")
            }
        }
        state.schemaVersion = SyncState.currentSchemaVersion
        // Only specsync writes the checksummed schemas, always with a sound checksum: a mismatch is
        // a hand edit or a damaged disk, and taking it silently would act on records nobody vouched for.
        if let schema, schema >= SyncState.firstChecksummedSchemaVersion {
            guard acceptsEditedFile else { throw checksumMismatch(state) }
            edited = true
        }
        return state
    }

    /// The refusal of a file whose checksum does not hold, with the records that differ from the backup.
    func checksumMismatch(_ state: SyncState) -> StateError {
        let accept = "if the change is wanted, run once with \(Self.acceptEditVariable)=1 (the next save writes a new checksum)"
        guard case .success(let bytes) = Self.contents(of: backupPath),
              let backup = try? StateStore(path: backupPath, acceptsEditedFile: true).decode(bytes) else {
            return StateError(path: path, problem: "does not match its checksum (edited by hand, reformatted or damaged on disk) and there is no readable backup to compare it with",
                              help: accept + "; otherwise move it away to start from an empty state")
        }
        let current = state.bundles.dictionary
        let previous = backup.bundles.dictionary
        let differing = Set(current.keys).union(previous.keys).filter { current[$0] != previous[$0] }.sorted()
        let shown = differing.prefix(10).map { "'\($0)'" }.joined(separator: ", ") + (differing.count > 10 ? " and \(differing.count - 10) more" : "")
        let records = differing.isEmpty ? "no record differs from \(backupPath) (the change is outside the records)"
            : "\(differing.count == 1 ? "the record" : "the records") \(shown) \(differing.count == 1 ? "differs" : "differ") from \(backupPath)"
        return StateError(path: path, problem: "does not match its checksum (edited by hand, reformatted or damaged on disk): \(records)",
                          help: accept + "; otherwise restore \(backupPath)")
    }

    private func newerSchema(_ version: Int) -> StateError {
        StateError(path: path, problem: "has schema version \(version), newer than this specsync understands (\(SyncState.currentSchemaVersion))",
                   help: "upgrade specsync; an older one must not rewrite a newer state")
    }

    /// Writes `state` crash-safely: the previous file becomes the backup, the new one is written to
    /// a temporary file, flushed, renamed over the old one, and the folder is flushed, so a crash
    /// leaves either the old or the new state, never a torn one. The journal's entries are then in
    /// the file, so the journal is removed, unflushed: a journal a crash brings back only holds
    /// entries whose serial the file already has, which replay skips.
    ///
    /// Two flushes in all (the new file, the folder): the backup is the previous file itself, linked
    /// under the backup's name, whose contents were flushed when it was written. A copy (where
    /// hard links are refused) costs two more; six flushes were most of the time between a pass's
    /// last answer and the end of `sync --once`.
    public func save(_ state: SyncState) throws(StateError) {
        let bytes = StateFileFormat.encode(state)
        let directory = LocalPath.parent(of: path)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // The backup is linked, or where the file system refuses, copied through a small buffer;
            // the new file is written from its own bytes: at the end of a large pass the state is
            // in memory once, not three times.
            if FileManager.default.fileExists(atPath: path), !DurableFile.link(path, as: backupPath) {
                try DurableFile.copy(path, to: backupPath)
            }
            try DurableFile.write(bytes, to: path)  // its folder flush covers the backup's rename too
            unlink(journalPath)
        } catch let error as DurableFile.Failure {
            throw StateError(path: path, problem: "could not be written: \(error.description)",
                             help: "the previous state is unchanged; check free space and permissions of \(directory)")
        } catch {
            throw StateError(path: path, problem: "could not be written: \(SystemErrorText.describe(error))",
                             help: "the previous state is unchanged; check free space and permissions of \(directory)")
        }
    }

    /// One line per journal entry and per record of the state file (and per row of the PostgreSQL backend).
    public static var lineEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(key.stringValue)' at \(pointer(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            return "\(context.debugDescription) at \(pointer(context.codingPath))"
        default:
            return "\(error)"
        }
    }

    static func pointer(_ path: [CodingKey]) -> String {
        guard !path.isEmpty else { return "the top level" }
        return JSONPointer(tokens: path.map { $0.intValue.map(String.init) ?? $0.stringValue }).description
    }
}

public struct StateError: Error, Sendable, CustomStringConvertible {
    /// The state file, or what names a state kept elsewhere (`StateBackend.location`).
    public let path: String
    public let problem: String
    public let help: String
    /// "state file <path>", or the backend's own words for where the state is.
    public let subject: String

    init(path: String, problem: String, help: String) {
        self.init(subject: "state file \(path)", path: path, problem: problem, help: help)
    }

    public init(subject: String, path: String, problem: String, help: String) {
        self.subject = subject
        self.path = path
        self.problem = problem
        self.help = help
    }

    public var description: String { "\(subject) \(problem); \(help)" }
}
