import Foundation
import Testing
import SpecSyncCore
import SpecSyncJSON
import SpecSyncTargets
import SpecSyncTestSupport
@testable import SpecSyncEngine

@Suite("State recorder")
struct StateRecorderTests {
    let target = TargetIdentity(name: "prod", kind: "flowService", identity: "https://x org=o sandbox=prod")

    func remote(_ id: String) -> RemoteSpec { RemoteSpec(id: id, name: id.uppercased(), updatedAt: 1_700_000_000_000, revision: "1700000000000", document: .null) }

    func journalLines(_ store: StateStore) throws -> Int {
        guard FileManager.default.fileExists(atPath: store.journalPath) else { return 0 }
        return try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n").count
    }

    @Test("a bundle whose remote id changes waits for its flow spec again, live and when the journal is replayed")
    func newIDWaitsForRegistration() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        var state = SyncState(target: target)
        var registered = BundleRecord(id: "id-a", bodyHash: "ha")
        registered.flowSpec = "flow"
        state[BundleID("a")] = registered
        state[BundleID("b")] = BundleRecord(id: "id-b", bodyHash: "hb")
        state.registration = FlowSpecRegistration(mapping: "m")
        try store.save(state)
        let recorder = StateRecorder(state: state, store: store)

        // Re-created after a remote delete: a new id, in no flow spec yet.
        try await recorder.recorded(bundle: BundleID("a"), renamedFrom: nil, remote: remote("id-a2"), bodyHash: "ha", specBlob: nil, commit: "c1")
        // The same id written again: nothing to register.
        try await recorder.recorded(bundle: BundleID("b"), renamedFrom: nil, remote: remote("id-b"), bodyHash: "hb2", specBlob: nil, commit: "c1")
        let live = await recorder.state
        #expect(live[BundleID("a")]?.flowSpec == nil)
        #expect(live.registration?.waiting == ["a"])
        #expect(try journalLines(store) == 2)
        #expect(try store.load()?.registration?.waiting == ["a"], "the journal's replay finds the same")
    }

    @Test("a registration of 1,300 specs is three journal lines of at most 512 records, and every record says its flow spec, live and replayed")
    func registrationLines() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        var state = SyncState(target: target)
        let bundles = (0..<1_300).map { BundleID("bundle-\($0)") }
        for bundle in bundles { state[bundle] = BundleRecord(id: "id-\(bundle)", bodyHash: "h") }
        try store.save(state)
        let recorder = StateRecorder(state: state, store: store)

        try await recorder.registered(bundles + [BundleID("never-recorded")], in: "flow")
        let lines = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let counts = try lines.map { line in
            let entry = try StateStore.decoder.decode(StateJournalEntry.self, from: Data(line.utf8))
            guard case .records(let changes) = entry.change else { return -1 }
            return changes.count
        }
        #expect(counts == [512, 512, 276], "a bundle without a record is left out")
        let live = await recorder.state
        #expect(bundles.allSatisfy { live[$0]?.flowSpec == "flow" })
        let replayed = try #require(try store.load())
        #expect(bundles.allSatisfy { replayed[$0]?.flowSpec == "flow" })
        #expect(replayed[BundleID("never-recorded")] == nil)
    }

    @Test("between passes a file state's records are parked on disk and read back whole; unsaved changes, a removed file and another target's file are never papered over")
    func parkedRecordsAreReadBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        let recorder = try await StateRecorder.open(store: store, for: target)
        // The first outcome writes the state file, the second goes to its journal.
        try await recorder.recorded(bundle: BundleID("a"), renamedFrom: nil, remote: remote("id-a"), bodyHash: "ha", specBlob: nil, commit: "c1")
        try await recorder.recorded(bundle: BundleID("b"), renamedFrom: nil, remote: remote("id-b"), bodyHash: "hb", specBlob: nil, commit: "c1")
        #expect(try journalLines(store) == 1)

        // Not yet written whole: the records stay (compacted) rather than be left to the journal's replay.
        await recorder.park()
        #expect(await recorder.isParked == false)
        try await recorder.finishPass(commit: "c1")
        let settled = await recorder.state

        await recorder.park()
        #expect(await recorder.isParked)
        try await recorder.unpark()
        #expect(await recorder.isParked == false)
        let readBack = await recorder.state
        #expect(readBack.bundles.dictionary == settled.bundles.dictionary)
        #expect(readBack.bundles.dictionary.keys.sorted() == ["a", "b"])
        #expect(readBack.lastSyncedCommit == "c1" && readBack.serial == settled.serial)
        // Written on from the state read back: the next outcome lands beside both records.
        try await recorder.recorded(bundle: BundleID("c"), renamedFrom: nil, remote: remote("id-c"), bodyHash: "hc", specBlob: nil, commit: "c2")
        try await recorder.finishPass(commit: "c2")
        #expect(try store.load()?.bundles.dictionary.keys.sorted() == ["a", "b", "c"])

        // Removed while parked: an error naming the file, and nothing written in its place.
        await recorder.park()
        try FileManager.default.moveItem(atPath: store.path, toPath: store.path + ".moved")
        let removed = await #expect(throws: StateError.self) { try await recorder.unpark() }
        #expect(removed?.description.contains("was removed while specsync held its lock") == true, "\(String(describing: removed))")
        #expect(await recorder.isParked)
        #expect(!FileManager.default.fileExists(atPath: store.path))

        // Another target's state in its place is refused; the target's own, put back, is read again.
        try StateStore(path: store.path).save(SyncState(target: TargetIdentity(name: "other", kind: "flowService", identity: "https://y org=p sandbox=prod")))
        let foreign = await #expect(throws: StateError.self) { try await recorder.unpark() }
        #expect(foreign?.description.contains("belongs to") == true)
        try FileManager.default.removeItem(atPath: store.path)
        try FileManager.default.moveItem(atPath: store.path + ".moved", toPath: store.path)
        try await recorder.unpark()
        #expect(await recorder.state.bundles.count == 3)
    }

    @Test("outcomes go to the journal, one line each, and the pass's end writes the state file whole")
    func journalThenStateFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        let recorder = StateRecorder(state: SyncState(target: target), store: store)

        // The first write creates the state file, which every journal extends.
        try await recorder.recorded(bundle: BundleID("a"), renamedFrom: nil, remote: remote("id-a"), bodyHash: "ha", specBlob: nil, commit: "c1")
        #expect(try journalLines(store) == 0)
        let fileAfterFirst = try Data(contentsOf: URL(fileURLWithPath: store.path))

        try await recorder.recorded(bundle: BundleID("b"), renamedFrom: nil, remote: remote("id-b"), bodyHash: "hb", specBlob: nil, commit: "c1")
        try await recorder.failed(bundle: BundleID("c"), renamedFrom: nil, name: "C", kind: .failed, error: "HTTP 500")
        #expect(try journalLines(store) == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == fileAfterFirst)
        #expect(try store.load() == (await recorder.state))

        try await recorder.finishPass(commit: "c1")
        #expect(try journalLines(store) == 0)
        let written = try #require(try StateStore(path: store.path).load())
        #expect(written == (await recorder.state))
        #expect(written.lastSyncedCommit == "c1")
        #expect(written[BundleID("b")]?.id == "id-b")
        #expect(written[BundleID("c")]?.lastError == "HTTP 500")
    }

    @Test("compacting between passes changes no record: the journal goes on from it, and the state file written next is the same")
    func compactKeepsRecords() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        let recorder = StateRecorder(state: SyncState(target: target), store: store)
        try await recorder.recorded(bundle: BundleID("a"), renamedFrom: nil, remote: remote("id-a"), bodyHash: "ha", specBlob: "blob-a", commit: "c1")
        try await recorder.recorded(bundle: BundleID("b"), renamedFrom: nil, remote: remote("id-b"), bodyHash: "hb", specBlob: nil, commit: "c1")
        try await recorder.failed(bundle: BundleID("c"), renamedFrom: nil, name: "C", kind: .failed, error: "HTTP 500", bodyHash: "hc")
        let before = await recorder.state

        await recorder.compact()
        #expect(await recorder.state == before)
        #expect(await recorder.state.bundles.pendingKeys == ["c"])
        #expect(try store.load() == before, "the journal is untouched")

        // Written on from the compacted records: a change, a removal, a new record.
        try await recorder.recorded(bundle: BundleID("c"), renamedFrom: nil, remote: remote("id-c"), bodyHash: "hc", specBlob: nil, commit: "c2")
        try await recorder.forgotten([BundleID("a")])
        try await recorder.recorded(bundle: BundleID("d"), renamedFrom: BundleID("b"), remote: remote("id-b"), bodyHash: "hd", specBlob: nil, commit: "c2")
        let live = await recorder.state
        #expect(live.bundles.keys.sorted() == ["c", "d"])
        #expect(live[BundleID("c")]?.lastError == nil && live[BundleID("d")]?.id == "id-b")
        #expect(try store.load() == live)
        try await recorder.finishPass(commit: "c2")
        #expect(try StateStore(path: store.path).load() == (await recorder.state))
        #expect(await recorder.state == live.with(lastSyncedCommit: "c2", serial: live.serial + 1))
    }

    @Test("outcomes recorded concurrently are each on disk when their call returns, and all end up in the state")
    func concurrentOutcomes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        let initial = SyncState(target: target)
        try store.save(initial)
        let recorder = StateRecorder(state: initial, store: store)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask {
                    try await recorder.recorded(bundle: BundleID("b\(index)"), renamedFrom: nil, remote: remote("id-\(index)"),
                                                     bodyHash: "h\(index)", specBlob: nil, commit: "c1")
                    // Returned: this outcome must already be readable from disk.
                    #expect(try store.load()?[BundleID("b\(index)")]?.id == "id-\(index)")
                }
            }
            try await group.waitForAll()
        }
        #expect(try journalLines(store) == 64)
        #expect(try store.load() == (await recorder.state))
    }

    @Test("outcomes written before their flush are journal lines in order, and one flush of the last covers them all")
    func unflushedOutcomes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        let initial = SyncState(target: target)
        try store.save(initial)
        let recorder = StateRecorder(state: initial, store: store)
        var written: [StateRecorder.Written] = []
        for index in 0..<16 {
            written.append(try await recorder.recordedUnflushed(
                bundle: BundleID("b\(index)"), renamedFrom: nil, remote: remote("id-\(index)"), bodyHash: "h\(index)", specBlob: nil, commit: "c1"))
        }
        #expect(written == written.sorted())
        try await recorder.flushed(try #require(written.last))
        #expect(try journalLines(store) == 16)
        let loaded = try #require(try store.load())
        #expect(loaded == (await recorder.state))
        #expect((0..<16).allSatisfy { loaded[BundleID("b\($0)")]?.id == "id-\($0)" })
    }

    @Test("a rename drops the old record and writes the new one in one journal line")
    func renameIsOneEntry() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        var state = SyncState(target: target)
        state[BundleID("old")] = BundleRecord(id: "id-1", name: "Old", bodyHash: "h0")
        try store.save(state)
        let recorder = StateRecorder(state: state, store: store)
        try await recorder.recorded(bundle: BundleID("new"), renamedFrom: BundleID("old"), remote: remote("id-1"), bodyHash: "h1", specBlob: nil, commit: "c2")
        #expect(try journalLines(store) == 1)
        let loaded = try #require(try store.load())
        #expect(loaded[BundleID("old")] == nil)
        #expect(loaded[BundleID("new")]?.id == "id-1")
    }

    @Test("a failed write leaves the recorder's state as it was on disk")
    func failedWriteChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try store.save(SyncState(target: target))
        // A directory where the journal should be makes every append fail.
        try FileManager.default.createDirectory(atPath: store.journalPath, withIntermediateDirectories: false)
        let recorder = StateRecorder(state: SyncState(target: target), store: store)
        let before = await recorder.state
        await #expect(throws: StateError.self) {
            try await recorder.recorded(bundle: BundleID("a"), renamedFrom: nil, remote: remote("id-a"), bodyHash: "ha", specBlob: nil, commit: "c1")
        }
        #expect(await recorder.state == before)
    }
}

private extension SyncState {
    func with(lastSyncedCommit: String, serial: Int) -> SyncState {
        var state = self
        state.lastSyncedCommit = lastSyncedCommit
        state.serial = serial
        return state
    }
}
