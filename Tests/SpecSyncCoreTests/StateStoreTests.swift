import Foundation
import Testing
import SpecSyncTestSupport
@testable import SpecSyncCore

@Suite("State store")
struct StateStoreTests {
    let target = TargetIdentity(name: "prod", kind: "flowService", identity: "https://x org=o sandbox=prod")

    @Test("a missing file is no state; a saved state loads back equal")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/nested/prod.state.json")
        #expect(try store.load() == nil)
        var state = SyncState(target: target)
        state.lastSyncedCommit = String(repeating: "a", count: 40)
        state[BundleID("m")] = BundleRecord(
            id: "spec-1", name: "M", bodyHash: "abc", createdAt: 1_633_388_930_134, updatedAt: 1_633_389_108_018,
            lastSyncedAt: Date(timeIntervalSince1970: 1_700_000_000))
        try store.save(state)
        #expect(try store.load() == state)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("saving keeps the previous state as the backup and leaves no temporary files")
    func backup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        var first = SyncState(target: target)
        try store.save(first)
        first.serial = 7
        try store.save(first)
        #expect(try StateStore(path: store.backupPath).load()?.serial == 0)
        #expect(try store.load()?.serial == 7)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["prod.state.json", "prod.state.json.backup"])
    }

    @Test("a corrupted file is an error with its position and a way out; it is left as it was")
    func corrupted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("{\n  \"schemaVersion\": 1,\n  \"serial\": \n}", to: "prod.state.json")
        let error = try #require(throws: StateError.self) { try StateStore(path: file.path).load() }
        #expect(error.description.contains("corrupted at 4:1"))
        #expect(error.description.contains(".backup"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "{\n  \"schemaVersion\": 1,\n  \"serial\": \n}")
    }

    @Test("a state of the wrong shape or a newer schema is refused")
    func wrongShape() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let shape = try directory.write(#"{"schemaVersion":1,"serial":"x"}"#, to: "a.json")
        #expect(try #require(throws: StateError.self) { try StateStore(path: shape.path).load() }.description.contains("expected shape"))
        let newer = try directory.write(#"{"schemaVersion":99}"#, to: "b.json")
        #expect(try #require(throws: StateError.self) { try StateStore(path: newer.path).load() }.description.contains("newer"))
    }
}

@Suite("State journal")
struct StateJournalTests {
    let target = TargetIdentity(name: "prod", kind: "flowService", identity: "https://x org=o sandbox=prod")

    func record(_ id: String) -> BundleRecord { BundleRecord(id: id, name: id.uppercased(), bodyHash: "hash-" + id) }

    func entry(_ serial: Int, _ bundle: String, _ record: BundleRecord?) -> StateJournalEntry {
        StateJournalEntry(serial: serial, change: .records([.init(bundle: bundle, record: record)]))
    }

    @Test("loading applies the journal's entries newer than the state file, in order")
    func replay() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        var state = SyncState(target: target)
        state.serial = 2
        state[BundleID("a")] = record("old-a")
        try store.save(state)
        let journal = StateJournal(path: store.journalPath)
        // Serial 2 is already in the file (a crash between writing it and emptying the journal).
        try journal.append(entry(2, "a", record("stale")))
        try journal.append(entry(3, "a", record("new-a")))
        try journal.append(entry(4, "b", record("b")))
        try journal.append(StateJournalEntry(serial: 5, change: .pass(commit: "c0ffee", inputsFingerprint: "f")))
        try journal.append(entry(6, "b", nil))
        let loaded = try #require(try store.load())
        #expect(loaded.serial == 6)
        #expect(loaded[BundleID("a")] == record("new-a"))
        #expect(loaded[BundleID("b")] == nil)
        #expect(loaded.lastSyncedCommit == "c0ffee")
        #expect(loaded.inputsFingerprint == "f")
    }

    @Test("writing the state file whole empties the journal")
    func saveEmptiesJournal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try store.save(SyncState(target: target))
        try StateJournal(path: store.journalPath).append(entry(1, "a", record("a")))
        var state = try #require(try store.load())
        state.serial = 1
        try store.save(state)
        #expect(!FileManager.default.fileExists(atPath: store.journalPath))
        #expect(try store.load() == state)
    }

    @Test("a torn last line is ignored on load and cut off by the next append")
    func tornTail() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try store.save(SyncState(target: target))
        try StateJournal(path: store.journalPath).append(entry(1, "a", record("a")))
        let handle = try #require(FileHandle(forWritingAtPath: store.journalPath))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"serial":2,"change":{"records":[{"bun"#.utf8))
        handle.closeFile()

        #expect(try store.load()?[BundleID("a")] == record("a"))
        #expect(try store.load()?.serial == 1)
        try StateJournal(path: store.journalPath).append(entry(2, "b", record("b")))
        let loaded = try #require(try store.load())
        #expect(loaded.serial == 2)
        #expect(loaded[BundleID("b")] == record("b"))
        let lines = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
    }

    @Test("a damaged complete line is an error naming the line, and nothing is changed")
    func corruptedLine() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try store.save(SyncState(target: target))
        try StateJournal(path: store.journalPath).append(entry(1, "a", record("a")))
        let damaged = try String(contentsOfFile: store.journalPath, encoding: .utf8) + "{\"serial\": true}\n"
        try damaged.write(toFile: store.journalPath, atomically: false, encoding: .utf8)
        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description.contains("\(store.journalPath) is corrupted at line 2"))
        #expect(try String(contentsOfFile: store.journalPath, encoding: .utf8) == damaged)
    }

    @Test("a journal without its state file is refused, not taken for an empty state")
    func orphanJournal() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try StateJournal(path: store.journalPath).append(entry(1, "a", record("a")))
        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description.contains("is missing but its journal"))
    }
}
