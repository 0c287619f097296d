#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncJSON

/// Writes a record and a journal entry as the bytes `StateStore.lineEncoder` gives them (sorted
/// keys, slashes as they are, whole-second ISO 8601 dates, absent members left out), without
/// `JSONEncoder`.
///
/// Measured reason: `JSONEncoder` was ~35 µs of the ~0.4 ms of CPU a create costs (its boxing of
/// every member; BENCHMARKS.md, "CPU per create"), and the state file written at the end of a pass
/// of 2,000 creates encodes 2,000 records between the last answer and the exit. The encoder stays
/// the reference: a test compares the two byte for byte, and both decoders read these lines.
public enum StateLineWriter {
    /// The record as the state file and the PostgreSQL backend's rows hold it.
    public static func text(of record: BundleRecord) -> String {
        var output: [UInt8] = []
        write(record, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// The entry as the journal and the PostgreSQL backend's outcome rows hold it.
    public static func text(of entry: StateJournalEntry) -> String {
        var output: [UInt8] = []
        write(entry, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `{"change":…,"serial":…}`, the form the synthesized `Codable` gives the entry.
    static func write(_ entry: StateJournalEntry, into output: inout [UInt8]) {
        output.append(contentsOf: #"{"change":{"#.utf8)
        switch entry.change {
        case .records(let changes):
            output.append(contentsOf: #""records":{"_0":["#.utf8)
            for (index, change) in changes.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: #"{"bundle":"#.utf8)
                JSONValue.writeEscaped(change.bundle, into: &output)
                if let record = change.record {
                    output.append(contentsOf: #","record":"#.utf8)
                    write(record, into: &output)
                }
                output.append(UInt8(ascii: "}"))
            }
            output.append(contentsOf: "]}".utf8)
        case .pass(let commit, let inputsFingerprint):
            output.append(contentsOf: #""pass":{"commit":"#.utf8)
            JSONValue.writeEscaped(commit, into: &output)
            if let inputsFingerprint {
                output.append(contentsOf: #","inputsFingerprint":"#.utf8)
                JSONValue.writeEscaped(inputsFingerprint, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: #"},"serial":"#.utf8)
        writeNumber(Int64(entry.serial), into: &output)
        output.append(UInt8(ascii: "}"))
    }

    /// The record's members in `sortedKeys` order, appended in place (no buffer per record: a
    /// registration line holds hundreds, the state file thousands).
    static func write(_ record: BundleRecord, into output: inout [UInt8]) {
        var first = true
        func key(_ key: StaticString) {
            output.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            output.append(UInt8(ascii: "\""))
            output.append(UInt8(ascii: ":"))
        }
        func string(_ name: StaticString, _ value: String?) {
            guard let value else { return }
            key(name)
            JSONValue.writeEscaped(value, into: &output)
        }
        func number(_ name: StaticString, _ value: Int64?) {
            guard let value else { return }
            key(name)
            writeNumber(value, into: &output)
        }
        func date(_ name: StaticString, _ value: Date?) {
            guard let value else { return }
            key(name)
            writeISO8601(value, into: &output)
        }
        string("bodyHash", record.bodyHash)
        string("commit", record.commit)
        number("consecutiveFailures", Int64(record.consecutiveFailures))
        number("consecutiveHeals", record.consecutiveHeals.map(Int64.init))
        number("createdAt", record.createdAt)
        string("failedBodyHash", record.failedBodyHash)
        string("failure", record.failure?.rawValue)
        string("flowSpec", record.flowSpec)
        string("id", record.id)
        date("lastAttemptAt", record.lastAttemptAt)
        string("lastError", record.lastError)
        date("lastSyncedAt", record.lastSyncedAt)
        string("name", record.name)
        date("orphanedAt", record.orphanedAt)
        if let quarantined = record.quarantined {
            key("quarantined")
            output.append(contentsOf: (quarantined ? "true" : "false").utf8)
        }
        string("revision", record.revision)
        string("specBlob", record.specBlob)
        if let hashes = record.unconfirmedBodyHashes {
            key("unconfirmedBodyHashes")
            output.append(UInt8(ascii: "["))
            for (index, hash) in hashes.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.writeEscaped(hash, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        number("updatedAt", record.updatedAt)
        // consecutiveFailures is always written, so the object was opened.
        output.append(UInt8(ascii: "}"))
    }

    /// Decimal digits, as `String(value)` writes them, without the string.
    static func writeNumber(_ value: Int64, into output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned: Int64.min has none as a signed number.
        writeDigits(value.magnitude, width: 1, into: &output)
    }

    /// `value`'s decimal digits, zero-padded to at least `width` of them.
    static func writeDigits(_ value: UInt64, width: Int, into output: inout [UInt8]) {
        var divisor: UInt64 = 1
        var count = 1
        while value / divisor >= 10 || count < width {
            divisor *= 10
            count += 1
        }
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// "2026-11-23T07:39:03Z": the second the date falls in, as `.iso8601` writes it.
    static func writeISO8601(_ date: Date, into output: inout [UInt8]) {
        // Outside four-digit years (only a hand-edited state holds such a date): the encoder's spelling.
        func encoderSpelling() { output += Array((try? StateStore.lineEncoder.encode(date)) ?? Data("null".utf8)) }
        guard let seconds = Int64(exactly: date.timeIntervalSince1970.rounded(.down)) else { return encoderSpelling() }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let civil = CivilDate(daysSince1970: Int(days))
        let year = Int64(civil.year), month = Int64(civil.month), day = Int64(civil.day)
        guard (0...9999).contains(year) else { return encoderSpelling() }

        func digits(_ value: Int64, _ width: Int) { writeDigits(UInt64(value), width: width, into: &output) }
        output.append(UInt8(ascii: "\""))
        digits(year, 4)
        output.append(UInt8(ascii: "-"))
        digits(month, 2)
        output.append(UInt8(ascii: "-"))
        digits(day, 2)
        output.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3_600, 2)
        output.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        output.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        output.append(contentsOf: "Z\"".utf8)
    }
}
