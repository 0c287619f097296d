import Crypto
import Foundation
import Testing
@testable import SpecSyncJSON
import SpecSyncTestSupport
@testable import SpecSyncCore
@testable import SpecSyncConfiguration

@Suite("State file format")
struct StateFileFormatTests {
    let target = TargetIdentity(name: "prod", kind: "flowService", identity: "https://x org=o sandbox=prod")

    /// Keys that need escaping, sort differently as bytes than as Swift strings, or share a prefix.
    /// (Not "\u{e9}" beside "e\u{301}": Swift's String equality takes them for one key.)
    static let awkwardKeys = ["a", "a\"quote", "a\\back", "line\nbreak", "ä-umlaut", "e\u{301}", "z", "A", "a/b", "ab", "tab\t"]

    func state(keys: [String]) -> SyncState {
        var state = SyncState(target: target)
        state.serial = 3
        state.lastSyncedCommit = String(repeating: "c", count: 40)
        state.inputsFingerprint = "f"
        state.registration = FlowSpecRegistration(mapping: "m", waiting: ["z"])
        for (index, key) in keys.enumerated() {
            var record = BundleRecord(id: "id-\(index)", name: "Name \(key)", bodyHash: "hash-\(index)",
                                      lastSyncedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)))
            if index % 3 == 0 { record.lastError = "HTTP 500" }
            state.bundles[key] = record
        }
        return state
    }

    func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("one header line with the pending bundles, one line per record in key order, the checksum last; one JSON document")
    func layout() throws {
        let state = state(keys: ["b", "a", "c"])
        let bytes = StateFileFormat.encode(state)
        let lines = self.lines(bytes)
        #expect(lines.count == 6, "header, three records, checksum, and the final newline")
        #expect(lines[0].hasSuffix(#","bundles":{"#))
        #expect(lines[0].contains(#""pending":["b"]"#), "b's record (the first) has an error, so it is pending")
        #expect(lines[0].contains(#""schemaVersion":3"#))
        #expect(lines[1].hasPrefix(#""a":{"#) && lines[1].hasSuffix("},"))
        #expect(lines[2].hasPrefix(#""b":{"#) && lines[2].hasSuffix("},"))
        #expect(lines[3].hasPrefix(#""c":{"#) && lines[3].hasSuffix("}"))
        #expect(lines[4].hasPrefix(#"},"checksum":"crc32c:"#))
        let expected = StateChecksumTests.bitwiseCRC32C(Array(bytes[..<bytes.firstRange(of: Array(#"},"checksum""#.utf8))!.lowerBound]))
        #expect(lines[4] == #"},"checksum":"crc32c:\#(String(format: "%08x", expected))"}"#)
        let document = try JSONParser().parse(bytes)
        #expect(document[JSONPointer("/bundles/a/id")] == .string("id-1"))
    }

    @Test("a saved state reads back lazily, equal, with lookups by any key")
    func lazyRoundTrip() throws {
        let original = state(keys: Self.awkwardKeys)
        let read = try #require(StateFileFormat.read(StateFileFormat.encode(original)))
        #expect(read == original)
        #expect(read.bundles.pendingKeys == original.bundles.pendingKeys)
        #expect(read.bundles.pendingKeys.count == 4)
        #expect(read.registration == FlowSpecRegistration(mapping: "m", waiting: ["z"]))
        for key in Self.awkwardKeys {
            #expect(read.bundles[key] == original.bundles[key], "\(key)")
            #expect(read.bundles.contains(key))
        }
        #expect(read.bundles["missing"] == nil)
        #expect(read.bundles["a\""] == nil)
        #expect(Set(read.bundles.keys) == Set(Self.awkwardKeys))
    }

    @Test("the bundles without a record are found in git's order, in any other order and under records changed since loading")
    func unrecorded() throws {
        var read = try #require(StateFileFormat.read(StateFileFormat.encode(state(keys: Self.awkwardKeys))))
        let extra: [String] = ["0-first", "b-between", "zz-last", "a\"quote-not"]
        let asked: [BundleID] = (Self.awkwardKeys + extra).map { BundleID($0) }
        let expected: Set<BundleID> = ["0-first", "b-between", "zz-last", "a\"quote-not"]
        // Ascending (the walk beside the file's lines), descending and shuffled (the search confirms each miss).
        #expect(Set(read.bundles.unrecorded(among: asked.sorted())) == expected)
        #expect(Set(read.bundles.unrecorded(among: asked.sorted().reversed())) == expected)
        let sorted = asked.sorted()
        let odd: [BundleID] = sorted.indices.filter { $0 % 2 == 1 }.map { sorted[$0] }
        let even: [BundleID] = sorted.indices.filter { $0 % 2 == 0 }.map { sorted[$0] }
        let interleaved = odd + even
        #expect(Set(read.bundles.unrecorded(among: interleaved)) == expected)
        #expect(read.bundles.unrecorded(among: asked.sorted()).count == expected.count, "each once")
        read.bundles["z"] = nil
        read.bundles["b-between"] = BundleRecord(id: "new")
        #expect(Set(read.bundles.unrecorded(among: asked.sorted())) == expected.subtracting(["b-between"]).union(["z"]))
        #expect(Set(SyncState(target: target).bundles.unrecorded(among: asked)) == Set(asked), "no state file: none has a record")
    }

    @Test("records changed after loading are written anew, the others copied as they were, all in key order")
    func changesMerged() throws {
        let original = state(keys: ["b", "d", "f"])
        var state = try #require(StateFileFormat.read(StateFileFormat.encode(original)))
        state.bundles["a"] = BundleRecord(id: "new-a")
        state.bundles["c"] = BundleRecord(id: "new-c", bodyHash: "h")
        state.bundles["d"] = nil
        state.bundles["g"] = BundleRecord(id: "new-g")
        var changedF = try #require(state.bundles["f"])
        changedF.lastError = nil
        state.bundles["f"] = changedF
        #expect(state.bundles.count == 5)
        #expect(state.bundles.pendingKeys == ["a", "b", "g"], "records without a body hash are pending; f's error is gone")

        let bytes = StateFileFormat.encode(state)
        let written = lines(bytes)
        #expect(written.dropFirst().prefix(5).map { $0.prefix(3) } == [#""a""#, #""b""#, #""c""#, #""f""#, #""g""#])
        #expect(written[2] == lines(StateFileFormat.encode(original))[1], "b's line is copied as it was")
        let read = try #require(StateFileFormat.read(bytes))
        #expect(read == state)
        #expect(read.bundles.pendingKeys == ["a", "b", "g"])
    }

    @Test("records set and removed over a state file, at random among its lines, are written as a state made from scratch writes them: 200 seeded rounds")
    func mergeMatchesAFreshState() throws {
        var random = StateLineWriterTests.Seeded(state: 11)
        let pool = Self.awkwardKeys + (0..<40).map { "bundle-\($0)" } + ["", "bundle-1/x", "Bundle-1", "bundle-10a"]
        for round in 0..<200 {
            let fileKeys = Array(pool.shuffled(using: &random).prefix(Int.random(in: 0...pool.count, using: &random)))
            var loaded = try #require(StateFileFormat.read(StateFileFormat.encode(state(keys: fileKeys))))
            var expected = loaded.bundles.dictionary
            for _ in 0..<Int.random(in: 0...30, using: &random) {
                let key = pool.randomElement(using: &random)!
                if Bool.random(using: &random) {
                    let record = StateLineWriterTests.record(&random)
                    loaded.bundles[key] = record
                    expected[key] = record
                } else {
                    loaded.bundles[key] = nil
                    expected[key] = nil
                }
            }
            var fresh = loaded
            fresh.bundles = BundleRecords(expected)
            #expect(StateFileFormat.encode(loaded) == StateFileFormat.encode(fresh), "round \(round)")
            #expect(loaded.bundles.compacted() == fresh.bundles, "round \(round)")
        }
    }

    @Test("compacted records are lines again: the same records and pending list, the same file, lookups by any key, and later changes merged as before")
    func compacted() throws {
        let original = state(keys: Self.awkwardKeys)
        var loaded = try #require(StateFileFormat.read(StateFileFormat.encode(state(keys: ["b", "d"]))))
        for key in Self.awkwardKeys { loaded.bundles[key] = original.bundles[key] }
        loaded.bundles["d"] = nil
        var state = original
        state.bundles["b"] = loaded.bundles["b"]
        var compacted = loaded
        compacted.bundles = loaded.bundles.compacted()
        #expect(compacted.bundles == state.bundles)
        #expect(compacted.bundles.pendingKeys == state.bundles.pendingKeys)
        #expect(compacted.bundles.count == Self.awkwardKeys.count + 1)
        #expect(StateFileFormat.encode(compacted) == (StateFileFormat.encode(loaded)), "the file written is the same")
        for key in Self.awkwardKeys + ["b"] {
            #expect(compacted.bundles[key] == state.bundles[key], "\(key)")
        }
        #expect(compacted.bundles["d"] == nil && !compacted.bundles.contains("d"))

        compacted.bundles["c"] = BundleRecord(id: "new-c")
        compacted.bundles["z"] = nil
        state.bundles["c"] = BundleRecord(id: "new-c")
        state.bundles["z"] = nil
        #expect(compacted.bundles == state.bundles)
        let again = compacted.bundles.compacted()
        #expect(again == state.bundles && again.pendingKeys == state.bundles.pendingKeys && again.count == state.bundles.count)
        #expect(BundleRecords().compacted().isEmpty)
    }

    @Test("a file edited by hand (the checksum no longer holds), once accepted, is read whole, its pending bundles worked out again")
    func editedByHand() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json", acceptsEditedFile: true)
        try store.save(state(keys: ["a", "b"]))
        var text = try String(contentsOfFile: store.path, encoding: .utf8)
        text = text.replacingOccurrences(of: #""name":"Name b""#, with: #""name":"Renamed b","lastError":"edited""#)
        try text.write(toFile: store.path, atomically: false, encoding: .utf8)
        #expect(StateFileFormat.read(Array(text.utf8)) == nil)
        let loaded = try #require(try store.load())
        #expect(loaded.bundles["b"]?.name == "Renamed b")
        #expect(loaded.bundles.pendingKeys == ["a", "b"])

        // Reformatted by a tool: one document still, read whole.
        let pretty = try JSONParser().parse(Array(text.utf8)).prettyPrinted()
        try pretty.write(toFile: store.path, atomically: false, encoding: .utf8)
        #expect(try store.load()?.bundles["b"]?.name == "Renamed b")
    }

    @Test("a schema-1 state (one pretty-printed document) is read and saved again as schema 3")
    func schemaOne() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        let old = """
        {
          "bundles" : {
            "m" : {
              "bodyHash" : "abc",
              "consecutiveFailures" : 0,
              "id" : "spec-1",
              "lastSyncedAt" : "2023-11-14T22:13:20Z",
              "name" : "M"
            },
            "n" : {
              "consecutiveFailures" : 1,
              "lastError" : "HTTP 500"
            }
          },
          "lastSyncedCommit" : "\(String(repeating: "a", count: 40))",
          "lineage" : "l-1",
          "schemaVersion" : 1,
          "serial" : 4,
          "target" : {
            "identity" : "https://x org=o sandbox=prod",
            "kind" : "flowService",
            "name" : "prod"
          }
        }
        """
        try old.write(toFile: store.path, atomically: false, encoding: .utf8)
        var state = try store.load(for: target)
        #expect(state.bundles["m"]?.id == "spec-1")
        #expect(state.bundles.pendingKeys == ["n"])
        #expect(state.registration == nil, "not known from a schema-1 file")
        state.serial += 1
        try store.save(state)
        let saved = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(saved.hasPrefix("{") && saved.contains(#""schemaVersion":3"#))
        #expect(try store.load() == state)
    }

    /// The file as schema 2 wrote it: the same lines, `"schemaVersion":2` and SHA-256 on the last line.
    func schemaTwoFile(_ state: SyncState) -> [UInt8] {
        let bytes = StateFileFormat.encode(state)
        var body = Array(bytes[..<bytes.firstRange(of: Array(#"},"checksum""#.utf8))!.lowerBound])
        let version = body.firstRange(of: Array(#""schemaVersion":3"#.utf8))!
        body.replaceSubrange(version, with: Array(#""schemaVersion":2"#.utf8))
        let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        return body + Array(#"},"checksum":"sha256:\#(digest)"}"#.utf8) + [UInt8(ascii: "\n")]
    }

    @Test("a schema-2 file (SHA-256) is read line by line as before, and its next save writes schema 3 with CRC-32C")
    func schemaTwo() throws {
        let original = state(keys: Self.awkwardKeys)
        let old = schemaTwoFile(original)
        let read = try #require(StateFileFormat.read(old), "a sound schema-2 file takes the quick path")
        #expect(read.bundles.dictionary == original.bundles.dictionary && read.registration == original.registration)
        #expect(read.bundles.pendingKeys == original.bundles.pendingKeys)

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        try Data(old).write(to: URL(fileURLWithPath: store.path))
        var state = try store.load(for: target)
        state.serial += 1
        try store.save(state)
        let saved = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(saved.contains(#""schemaVersion":3"#) && saved.contains(#"},"checksum":"crc32c:"#) && !saved.contains("sha256"))
        #expect(try store.load()?.bundles.dictionary == original.bundles.dictionary)
    }

    @Test("a schema-2 file whose SHA-256 does not hold is still refused, not read as an older schema without a checksum")
    func schemaTwoEdited() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StateStore(path: directory.path + "/prod.state.json")
        var text = String(decoding: schemaTwoFile(state(keys: ["a", "b"])), as: UTF8.self)
        text = text.replacingOccurrences(of: #""name":"Name b""#, with: #""name":"Renamed b""#)
        try text.write(toFile: store.path, atomically: false, encoding: .utf8)
        let error = try #require(throws: StateError.self) { try store.load() }
        #expect(error.description.contains("does not match its checksum"), "\(error)")
        #expect(try StateStore(path: store.path, acceptsEditedFile: true).load()?.bundles["b"]?.name == "Renamed b")
    }

    @Test("a last line that is not a checksum this format knows (another algorithm, the wrong length, capitals) is never taken as sound")
    func unknownChecksums() throws {
        let bytes = StateFileFormat.encode(state(keys: ["a", "b"]))
        let text = String(decoding: bytes, as: UTF8.self)
        let crc = try #require(text.firstRange(of: #/crc32c:[0-9a-f]{8}/#).map { String(text[$0]) })
        for replacement in ["md5:" + crc.dropFirst(7), crc.uppercased(), String(crc.dropLast()), crc + "0", "crc32c:", "sha256:" + crc.dropFirst(7)] {
            let changed = Array(text.replacingOccurrences(of: crc, with: replacement).utf8)
            #expect(StateFileFormat.read(changed) == nil, "\(replacement)")
        }
        #expect(StateFileFormat.read(bytes) != nil)
    }
}
