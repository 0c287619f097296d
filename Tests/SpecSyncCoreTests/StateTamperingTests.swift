import Foundation
import Testing
@testable import SpecSyncJSON
import SpecSyncTestSupport
@testable import SpecSyncCore
@testable import SpecSyncConfiguration

/// A state file whose checksum does not hold is never taken silently, and a garbled journal line
/// says where it breaks.
@Suite("State tampering")
struct StateTamperingTests {
    let target = TargetIdentity(name: "prod", kind: "flowService", identity: "https://x org=o sandbox=prod")

    func record(_ id: String) -> BundleRecord {
        BundleRecord(id: id, name: "Name \(id)", bodyHash: "hash-\(id)", createdAt: 1_700_000_000_000, updatedAt: 1_700_000_001_000,
                     lastSyncedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// A store with two saves (so a backup exists) of bundles a, b and c.
    func savedStore(in directory: TemporaryDirectory) throws -> StateStore {
        let store = StateStore(path: directory.path + "/prod.state.json")
        var state = SyncState(target: target)
        state[BundleID("a")] = record("4f2a0c1e-0000-4000-8000-00000000000a")
        state[BundleID("b")] = record("4f2a0c1e-0000-4000-8000-00000000000b")
        try store.save(state)
        state[BundleID("c")] = record("4f2a0c1e-0000-4000-8000-00000000000c")
        try store.save(state)
        try store.save(state)
        return store
    }

    @Test("one hex digit of an id flipped: refused, naming the record that differs from the backup and how to accept it")
    func flippedDigit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try savedStore(in: directory)
        let original = try String(contentsOfFile: store.path, encoding: .utf8)
        let flipped = original.replacingOccurrences(of: "8000-00000000000b", with: "8000-00000000001b")
        #expect(flipped != original)
        try flipped.write(toFile: store.path, atomically: false, encoding: .utf8)

        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description.contains("does not match its checksum"), "\(error)")
        #expect(error.description.contains("the record 'b' differs from \(store.backupPath)"), "\(error)")
        #expect(error.description.contains("SPECSYNC_ACCEPT_STATE_EDIT=1"), "\(error)")
        // Refused, so nothing wrote over it.
        #expect(try String(contentsOfFile: store.path, encoding: .utf8) == flipped)

        // Accepted explicitly: read as edited and written again at once with a checksum.
        let accepting = StateStore(path: store.path, environment: ["SPECSYNC_ACCEPT_STATE_EDIT": "1"])
        let loaded = try #require(try accepting.load())
        #expect(loaded[BundleID("b")]?.id == "4f2a0c1e-0000-4000-8000-00000000001b")
        #expect(try store.load()?[BundleID("b")]?.id == "4f2a0c1e-0000-4000-8000-00000000001b")
    }

    @Test("an accepted edit is written again only under the state lock: not while another run holds it, and by the lock holder itself")
    func acceptedEditUnderTheLock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try savedStore(in: directory)
        let flipped = try String(contentsOfFile: store.path, encoding: .utf8)
            .replacingOccurrences(of: "8000-00000000000b", with: "8000-00000000001b")
        try flipped.write(toFile: store.path, atomically: false, encoding: .utf8)
        let accepting = StateStore(path: store.path, acceptsEditedFile: true)

        // Another run holds the lock (a daemon mid-pass): read as accepted, but nothing written.
        let other = try StateLock.acquire(forState: store.path)
        #expect(try accepting.load()?[BundleID("b")]?.id == "4f2a0c1e-0000-4000-8000-00000000001b")
        #expect(try String(contentsOfFile: store.path, encoding: .utf8) == flipped, "not written beside the lock holder")
        other.release()

        // The lock holder's own load writes it again, with a checksum.
        let backend = FileStateBackend(store: accepting)
        let lease = try await backend.lock(timeout: .zero)
        #expect(try await backend.load()?[BundleID("b")]?.id == "4f2a0c1e-0000-4000-8000-00000000001b")
        lease.release()
        #expect(try String(contentsOfFile: store.path, encoding: .utf8) != flipped)
        #expect(try store.load()?[BundleID("b")]?.id == "4f2a0c1e-0000-4000-8000-00000000001b", "the next run needs no acceptance")
    }

    @Test("a state reformatted by a tool is refused too (the checksum cannot hold); other values than 1 do not accept it")
    func reformatted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try savedStore(in: directory)
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        try JSONParser().parse(Array(text.utf8)).prettyPrinted().write(toFile: store.path, atomically: false, encoding: .utf8)
        let error = try #require(throws: StateError.self) { try StateStore(path: store.path, environment: ["SPECSYNC_ACCEPT_STATE_EDIT": "yes"]).load() }
        // Same records as the backup: the message says so rather than naming none.
        #expect(error.description.contains("no record differs from \(store.backupPath)"), "\(error)")
    }

    @Test("without a backup the refusal says there is nothing to compare with")
    func noBackup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try savedStore(in: directory)
        try FileManager.default.removeItem(atPath: store.backupPath)
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        try text.replacingOccurrences(of: "Name 4f2a", with: "Name 5f2a").write(toFile: store.path, atomically: false, encoding: .utf8)
        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description.contains("there is no readable backup"), "\(error)")
    }

    @Test("a garbled journal line names its line and column")
    func garbledJournalLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try store.save(SyncState(target: target))
        try #"{"serial":1,"change":{"records":[{"bundle":"a" "record":{}}]}}"#.appending("\n")
            .write(toFile: store.journalPath, atomically: false, encoding: .utf8)
        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description.contains("\(store.journalPath) is corrupted at line 1, column 48:"), "\(error)")
        #expect(!error.description.contains("at )"), "\(error)")
    }

    @Test("a journal line that is JSON of the wrong shape names the line and the place in it")
    func wrongShapeJournalLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try store.save(SyncState(target: target))
        try "[1]\n".write(toFile: store.journalPath, atomically: false, encoding: .utf8)
        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description.contains("is corrupted at line 1: "), "\(error)")
        #expect(error.description.contains("at the top level"), "\(error)")
    }
}
