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

    @Test("an unreadable state says why in the system's words")
    func unreadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try FileManager.default.createDirectory(atPath: store.path, withIntermediateDirectories: false)
        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description == "state file \(store.path) cannot be read: it is a folder; it must be a regular file that specsync's user can read and write")
        #expect(StateStore.reason(directory.path + "/missing", CocoaError(.fileReadUnknown)) == "No such file or directory")
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
