import Foundation
import Testing
import SpecSyncJSON
import SpecSyncTestSupport
@testable import SpecSyncCore

/// The hand-written line writer against the encoder it replaces: the same bytes for every record
/// and entry, and both decoders read them back to the same values.
@Suite("State line writer")
struct StateLineWriterTests {
    /// A seeded generator, so that a failure names a record that can be made again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Strings that escape differently, or not at all: quotes, backslashes, every control
    /// character, slashes (the encoder is told not to escape them), non-ASCII, an emoji, DEL.
    static let awkwardStrings: [String] = [
        "", "plain", "with \"quotes\"", "back\\slash", "a/b/c", "ä ö ü", "e\u{301}", "🚀 launch", "\u{7F}",
        "line\nbreak\ttab\rreturn", "\u{08}\u{0C}", "https://platform.adobe.io/data/foundation/flowservice",
    ] + (0..<0x20).map { "ctl-\(Character(Unicode.Scalar($0)!))-" }

    static func string(_ random: inout Seeded) -> String? {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return nil
        case 1: return awkwardStrings.randomElement(using: &random)!
        default: return String(repeating: "0123456789abcdef", count: 4).shuffled(using: &random).prefix(Int.random(in: 1...64, using: &random)).map(String.init).joined()
        }
    }

    static func date(_ random: inout Seeded, whole: Bool) -> Date? {
        guard Bool.random(using: &random) else { return nil }
        // 1900 to 2200, across leap days and the epoch; fractions are floored by both writers.
        let seconds = Double(Int64.random(in: -2_208_988_800...7_258_118_400, using: &random))
        return Date(timeIntervalSince1970: whole ? seconds : seconds + Double.random(in: 0..<1, using: &random))
    }

    static func number(_ random: inout Seeded) -> Int64? {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return nil
        case 1: return [Int64.min, Int64.max, 0, -1].randomElement(using: &random)!
        default: return Int64.random(in: -1_000_000_000_000...2_000_000_000_000, using: &random)
        }
    }

    static func record(_ random: inout Seeded, wholeSeconds: Bool = true) -> BundleRecord {
        var record = BundleRecord(
            id: string(&random), name: string(&random), bodyHash: string(&random), specBlob: string(&random),
            commit: string(&random), createdAt: number(&random), updatedAt: number(&random),
            lastSyncedAt: date(&random, whole: wholeSeconds), lastError: string(&random),
            consecutiveFailures: Int(number(&random) ?? 0))
        record.revision = string(&random)
        record.lastAttemptAt = date(&random, whole: wholeSeconds)
        record.failedBodyHash = string(&random)
        record.flowSpec = string(&random)
        record.consecutiveHeals = number(&random).map { Int($0) }
        record.quarantined = [nil, true, false].randomElement(using: &random)!
        record.orphanedAt = date(&random, whole: wholeSeconds)
        record.failure = Bool.random(using: &random) ? RecordFailure.allCases.randomElement(using: &random) : nil
        record.unconfirmedBodyHashes = Bool.random(using: &random)
            ? (0..<Int.random(in: 0...4, using: &random)).map { _ in string(&random) ?? "h" } : nil
        return record
    }

    static func written(_ record: BundleRecord) -> [UInt8] {
        var output: [UInt8] = []
        StateLineWriter.write(record, into: &output)
        return output
    }

    static func text(_ bytes: some Sequence<UInt8>) -> String { String(decoding: Array(bytes), as: UTF8.self) }

    @Test("a record is written byte for byte as the encoder writes it: 5,000 seeded records with every member present or absent")
    func recordsMatchTheEncoder() throws {
        let encoder = StateStore.lineEncoder
        var random = Seeded(state: 22)
        var membersSeen = Set<String>()
        for index in 0..<5_000 {
            let record = Self.record(&random)
            let expected = try encoder.encode(record)
            let written = Self.written(record)
            #expect(Array(expected) == written, "record \(index): \(Self.text(written)) is not \(Self.text(expected))")
            if let object = try JSONSerialization.jsonObject(with: Data(written)) as? [String: Any] {
                membersSeen.formUnion(object.keys)
            }
        }
        // Every member of the record was written at least once: none is left out of the comparison.
        let allMembers: Set = ["bodyHash", "commit", "consecutiveFailures", "consecutiveHeals", "createdAt", "failedBodyHash",
                               "failure", "flowSpec", "id", "lastAttemptAt", "lastError", "lastSyncedAt", "name", "orphanedAt",
                               "quarantined", "revision", "specBlob", "unconfirmedBodyHashes", "updatedAt"]
        #expect(membersSeen == allMembers)
    }

    @Test("a date with a fraction of a second is written as the second it falls in, as the encoder writes it, before and after 1970")
    func fractionalDates() throws {
        let encoder = StateStore.lineEncoder
        var random = Seeded(state: 7)
        // The last three are outside four-digit years: written in the encoder's own spelling.
        for seconds in [-0.5, -86_400.25, 0.999, 951_782_400.5 /* 2000-02-29 */, 1_700_000_000.999_9,
                        -62_200_000_000, 253_402_300_800 /* 10000-01-01 */, 1e18] {
            var record = BundleRecord()
            record.lastSyncedAt = Date(timeIntervalSince1970: seconds)
            #expect(Array(try encoder.encode(record)) == Self.written(record), "\(seconds)")
        }
        for _ in 0..<1_000 {
            let record = Self.record(&random, wholeSeconds: false)
            #expect(Array(try encoder.encode(record)) == Self.written(record))
        }
    }

    @Test("both readers of the state take the written record back: JSONDecoder and the state file's own reader")
    func readBack() throws {
        var random = Seeded(state: 99)
        for _ in 0..<1_000 {
            let record = Self.record(&random)
            let written = Self.written(record)
            #expect(try StateStore.decoder.decode(BundleRecord.self, from: Data(written)) == record)
            let object = try #require(try JSONParser().parse(written).objectValue)
            #expect(SyncState.record(object) == record)
        }
    }

    @Test("a journal entry is written as the encoder writes it: records set and removed, several at once, a pass with and without inputs")
    func entriesMatchTheEncoder() throws {
        let encoder = StateStore.lineEncoder
        var random = Seeded(state: 3)
        var entries: [StateJournalEntry] = [
            StateJournalEntry(serial: 1, change: .pass(commit: String(repeating: "a", count: 40), inputsFingerprint: nil)),
            StateJournalEntry(serial: Int.max, change: .pass(commit: "c\"/", inputsFingerprint: "sha256:f")),
            StateJournalEntry(serial: 0, change: .records([])),
            StateJournalEntry(serial: 2, change: .records([.init(bundle: "gone", record: nil)])),
        ]
        for serial in 3..<500 {
            let changes = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                StateJournalEntry.RecordChange(bundle: Self.string(&random) ?? "bundle",
                                               record: Bool.random(using: &random) ? Self.record(&random) : nil)
            }
            entries.append(StateJournalEntry(serial: serial, change: .records(changes)))
        }
        for entry in entries {
            var written: [UInt8] = []
            StateLineWriter.write(entry, into: &written)
            let expected = try encoder.encode(entry)
            #expect(Array(expected) == written, "\(Self.text(written)) is not \(Self.text(expected))")
            #expect(try StateStore.decoder.decode(StateJournalEntry.self, from: Data(written)) == entry)
        }
    }

    @Test("a journal written by the writer replays: every entry read back in order")
    func journalReplays() throws {
        let directory = try TemporaryDirectory()
        let journal = StateJournal(path: directory.path + "/state.json.journal")
        var random = Seeded(state: 5)
        var appended: [StateJournalEntry] = []
        for serial in 1...50 {
            let entry = StateJournalEntry(serial: serial, change: .records([.init(bundle: "b\(serial)", record: Self.record(&random))]))
            try journal.append(entry)
            appended.append(entry)
        }
        #expect(try StateJournal.entries(at: journal.path) == appended)
    }
}
