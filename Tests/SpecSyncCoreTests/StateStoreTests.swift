import Foundation
import Testing
@testable import SpecSyncJSON
import SpecSyncTestSupport
@testable import SpecSyncCore
@testable import SpecSyncConfiguration

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

    @Test("a state of 12,000 records, over the 4 MB from which its buffer asks for 2 MB pages, loads back equal, record for record")
    func largeStateRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        var state = SyncState(target: target)
        for index in 0..<12_000 {
            state[BundleID("bundle-\(index)")] = BundleRecord(
                id: "spec-\(index)", name: "Bundle \(index) " + String(repeating: "x", count: index % 300),
                bodyHash: String(repeating: "ab", count: 32), createdAt: 1_633_388_930_134, updatedAt: 1_633_389_108_018 + Int64(index),
                lastSyncedAt: Date(timeIntervalSince1970: 1_700_000_000))
        }
        try store.save(state)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int)
        #expect(size > 4 * 1024 * 1024)
        let loaded = try #require(try store.load())
        #expect(loaded.bundles.count == 12_000)
        #expect(loaded.bundles.dictionary == state.bundles.dictionary)
    }

    @Test("the last synced commit hint is the first line's, read without the rest and unverified; nil for no file, no commit or a value that is no commit id")
    func lastSyncedCommitHint() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        #expect(store.lastSyncedCommitHint() == nil)
        var state = SyncState(target: target)
        try store.save(state)
        #expect(store.lastSyncedCommitHint() == nil, "never synced")
        let commit = "0123456789abcdef0123456789abcdef01234567"
        state.lastSyncedCommit = commit
        for index in 0..<200 { state[BundleID("b\(index)")] = BundleRecord(id: "i\(index)", bodyHash: "h") }
        try store.save(state)
        #expect(store.lastSyncedCommitHint() == commit)
        // Unverified: a hand edit that breaks the checksum still gives its word (the load refuses it).
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        try text.replacingOccurrences(of: commit, with: String(repeating: "f", count: 40)).write(toFile: store.path, atomically: true, encoding: .utf8)
        #expect(store.lastSyncedCommitHint() == String(repeating: "f", count: 40))
        #expect(throws: StateError.self) { try store.load() }
        for garbage in [#"{"lastSyncedCommit":"HEAD~1","schemaVersion":2}"#, #"{"lastSyncedCommit":"abc"}"#, "\n\"lastSyncedCommit\":\"\(commit)\"", "not json"] {
            try garbage.write(toFile: store.path, atomically: true, encoding: .utf8)
            #expect(store.lastSyncedCommitHint() == nil, "\(garbage)")
        }
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
        // The backup is the previous file byte for byte (linked, not copied), and a file apart from
        // the new state: the next save makes serial 7 the backup, and serial 0 is gone.
        let previous = try Data(contentsOf: URL(fileURLWithPath: store.path))
        first.serial = 8
        try store.save(first)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.backupPath)) == previous)
        #expect(try store.load()?.serial == 8)
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

    @Test("an unreadable state says why in the system's words")
    func unreadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: false)
        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description == "state file \(store.path) cannot be read: it is a folder; it must be a regular file that specsync's user can read and write")
        // Other failures in the system's words (a permission test would not fail as root).
        let file = try directory.write("{}", to: "file.json")
        let below = try #require(throws: StateError.self) { try StateStore(path: file.path + "/prod.state.json").load() }
        #expect(below.description.contains("cannot be read: Not a directory"))
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

@Suite("State fast decoding")
struct StateFastDecodingTests {
    /// A record with every field set: a field added to `BundleRecord` without being read by the fast
    /// decoder fails `everyFieldSet` until it is set here, and then `sameAsJSONDecoder`.
    static let fullRecord: BundleRecord = {
        var record = BundleRecord(
            id: "id-1", name: "Name", bodyHash: "hash", specBlob: "blob", commit: "commit", createdAt: 1_633_388_930_134,
            updatedAt: 1_633_389_108_018, lastSyncedAt: Date(timeIntervalSince1970: 1_700_000_000), lastError: "HTTP 500",
            consecutiveFailures: 3)
        record.revision = "2026-11-23T07:39:03.123Z"
        record.lastAttemptAt = Date(timeIntervalSince1970: 1_795_419_543)
        record.failedBodyHash = "failed"
        record.flowSpec = "6499120c-0b15-42dc-936e-847ea3c24d72"
        record.consecutiveHeals = 2
        record.quarantined = true
        record.orphanedAt = Date(timeIntervalSince1970: 951_782_400)  // 2000-02-29: a leap day
        record.failure = .quarantined
        record.unconfirmedBodyHashes = [String(repeating: "c", count: 64), String(repeating: "d", count: 64)]
        return record
    }()

    @Test("the test record sets every field")
    func everyFieldSet() {
        for child in Mirror(reflecting: Self.fullRecord).children {
            let optional = Mirror(reflecting: child.value)
            #expect(optional.displayStyle != .optional || !optional.children.isEmpty, "\(child.label ?? "?") is not set")
        }
    }

    @Test("reads exactly what JSONDecoder reads, and leaves what it does not expect to JSONDecoder")
    func sameAsJSONDecoder() throws {
        var state = SyncState(target: TargetIdentity(name: "prod", kind: "flowService", identity: "x"))
        state.serial = 42
        state.lastSyncedCommit = "c0ffee"
        state.inputsFingerprint = "f"
        state.registration = FlowSpecRegistration(mapping: "m", waiting: ["gone"])
        state[BundleID("full")] = Self.fullRecord
        state[BundleID("bare")] = BundleRecord()
        let data = try StateStore.lineEncoder.encode(state)
        let fast = try #require(SyncState.fastDecode(try JSONParser().parse(data)))
        #expect(fast == state)
        #expect(fast == (try StateStore.decoder.decode(SyncState.self, from: data)))

        // A date in another form, a number where a string belongs: not guessed at.
        let odd = try JSONParser().parse(#"{"schemaVersion":1,"lineage":"l","serial":1,"target":{"name":"n","kind":"k","identity":"i"},"bundles":{"a":{"consecutiveFailures":0,"lastSyncedAt":"2026-11-23T07:39:03.5Z"}}}"#)
        #expect(SyncState.fastDecode(odd) == nil)
        let wrong = try JSONParser().parse(#"{"schemaVersion":1,"lineage":"l","serial":1,"target":{"name":"n","kind":"k","identity":"i"},"bundles":{"a":{"consecutiveFailures":0,"id":7}}}"#)
        #expect(SyncState.fastDecode(wrong) == nil)
    }
}

@Suite("Sync state: flow spec registration")
struct SyncStateRegistrationTests {
    @Test("a record that lost its flow spec mark waits for registration; one that keeps it does not")
    func waitingFollowsWrites() {
        var state = SyncState(target: TargetIdentity(name: "prod", kind: "flowService", identity: "x"))
        var registered = BundleRecord(id: "id-a", bodyHash: "h")
        registered.flowSpec = "flow"
        state[BundleID("a")] = registered
        #expect(state.registration == nil, "nothing is kept before a registration ran")
        state.registration = FlowSpecRegistration(mapping: "m")

        var failed = registered
        failed.lastError = "HTTP 500"
        state[BundleID("a")] = failed
        #expect(state.registration?.waiting == [], "same id, mark kept")

        var moved = failed
        moved.setRemoteID("id-a2")
        #expect(moved.flowSpec == nil)
        state[BundleID("a")] = moved
        #expect(state.registration?.waiting == ["a"], "another remote spec")

        state[BundleID("b")] = BundleRecord(id: "id-b", bodyHash: "h")
        #expect(state.registration?.waiting == ["a", "b"], "a new record")
        var imported = registered
        imported.flowSpec = nil
        state.registration = FlowSpecRegistration(mapping: "m")
        state[BundleID("c")] = registered
        state[BundleID("c")] = imported
        #expect(state.registration?.waiting == ["c"], "written afresh without its mark (import)")
        state[BundleID("d")] = BundleRecord(name: "no id yet")
        #expect(state.registration?.waiting == ["c"], "nothing to register without an id")
    }
}
