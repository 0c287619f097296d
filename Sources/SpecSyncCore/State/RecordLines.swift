#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import SpecSyncJSON

/// The records of a state file as written: one `"bundle":{record}` line each, sorted by the escaped
/// key's UTF-8 bytes, each decoded only when it is asked for. Loading a state of 10,000 records then
/// costs a scan for line ends, not a parse of every record; a lookup is a binary search.
///
/// The file's checksum was verified before these lines are trusted (see `StateFileFormat`), so a
/// line that does not decode can only be a bug in the writer.
final class RecordLines: Sendable {
    private let bytes: [UInt8]
    /// Every line's escaped key (without its quotes), back to back in file order, and where each
    /// one starts (with the end as a last entry). Copied out of the file: the walks over every key
    /// (`contains(_:from:)` for each of 100,000 folders) otherwise touch a new cache line and page
    /// of a 46 MB file per key, and were 9% of detecting one change at 100,000 bundles.
    private let keyText: [UInt8]
    private let keyStarts: [Int]
    /// Where each line's record is, in file order.
    private let records: [Range<Int>]
    /// Records decoded so far, by line: only those asked for (a lookup is usually asked again in
    /// the same pass), until `forgetDecoded`.
    private let decoded = Mutex<[Int: BundleRecord]>([:])

    /// Nil unless every line between `region`'s bounds has the shape the writer gives it.
    init?(bytes: [UInt8], region: Range<Int>) {
        var keyText: [UInt8] = []
        var keyStarts: [Int] = [0]
        var records: [Range<Int>] = []
        let found: Bool = bytes.withUnsafeBufferPointer { buffer in
            var start = region.lowerBound
            while start < region.upperBound {
                guard let newline = Self.firstNewline(in: buffer, from: start, before: region.upperBound),
                      let (key, record) = Self.split(buffer, start..<newline) else { return false }
                keyText.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[key]))
                keyStarts.append(keyText.count)
                records.append(record)
                start = newline + 1
            }
            return true
        }
        guard found else { return nil }
        self.bytes = bytes
        self.keyText = keyText
        self.keyStarts = keyStarts
        self.records = records
    }

    var count: Int { records.count }

    /// The bytes the lines take, separators included.
    var byteCount: Int { records.last.map { $0.upperBound - lineStart(of: 0) + 1 } ?? 0 }

    /// Where line `index` starts: its key's opening quote, `"key":` before its record.
    private func lineStart(of index: Int) -> Int { records[index].lowerBound - keyRange(index).count - 3 }

    /// Where line `index`'s escaped key is in `keyText`.
    private func keyRange(_ index: Int) -> Range<Int> { keyStarts[index]..<keyStarts[index + 1] }

    /// The line of `key`, by binary search over the escaped keys.
    func index(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { utf8 in
            // Most keys need no escaping: compared as they are, without a copy.
            if !utf8.contains(where: JSONValue.needsEscape) { return search(utf8) }
            return Self.escaped(String(decoding: utf8, as: UTF8.self)).withUnsafeBufferPointer(search)
        }
    }

    private func search(_ escaped: UnsafeBufferPointer<UInt8>) -> Int? {
        keyText.withUnsafeBufferPointer { keys in
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                let order = Self.order(of: keyRange(middle), in: keys, against: escaped)
                if order == 0 { return middle }
                if order < 0 { low = middle + 1 } else { high = middle }
            }
            return nil
        }
    }

    /// Whether `key` has a line, looked for from `cursor` on: keys asked for in ascending byte order
    /// (as git lists folders) cost a step each beside the file's sorted keys instead of a binary
    /// search. A miss is confirmed by the binary search, so the answer holds in any order.
    func contains(_ key: String, from cursor: inout Int) -> Bool {
        var key = key
        let found = key.withUTF8 { utf8 in
            guard !utf8.contains(where: JSONValue.needsEscape) else { return false }
            return keyText.withUnsafeBufferPointer { keys in
                while cursor < count {
                    let order = Self.order(of: keyRange(cursor), in: keys, against: utf8)
                    if order > 0 { return false }
                    cursor += 1
                    if order == 0 { return true }
                }
                return false
            }
        }
        return found || index(of: key) != nil
    }

    /// The key at `probe` of `keys` against `escaped`, in the file's order.
    private static func order(of probe: Range<Int>, in keys: UnsafeBufferPointer<UInt8>, against escaped: UnsafeBufferPointer<UInt8>) -> Int32 {
        ByteOrder.compare(UnsafeBufferPointer(rebasing: keys[probe]), escaped)
    }


    func key(at index: Int) -> String {
        let escaped = escapedKey(at: index)
        guard escaped.contains(UInt8(ascii: "\\")) else { return String(decoding: escaped, as: UTF8.self) }
        guard case .string(let key)? = try? JSONParser().parse([UInt8(ascii: "\"")] + escaped + [UInt8(ascii: "\"")]) else {
            preconditionFailure("state record key \(String(decoding: escaped, as: UTF8.self)) does not decode")
        }
        return key
    }

    /// The record of line `index`, decoded once.
    func record(at index: Int) -> BundleRecord {
        if let cached = decoded.withLock({ $0[index] }) { return cached }
        let text = bytes[records[index]]
        guard let object = (try? JSONParser().parse(text))?.objectValue, let record = SyncState.record(object) else {
            preconditionFailure("the state record of \(key(at: index)) does not decode although the file's checksum holds: \(String(decoding: text, as: UTF8.self))")
        }
        decoded.withLock { $0[index] = record }
        return record
    }

    /// Lets go of the records decoded so far: between passes only the bytes are kept.
    func forgetDecoded() {
        decoded.withLock { $0 = [:] }
    }

    /// The line of `index` as written, key and record, without a separating comma: unchanged
    /// records are copied into the next state file as they are.
    func line(at index: Int) -> ArraySlice<UInt8> {
        bytes[lineStart(of: index)..<records[index].upperBound]
    }

    /// The key's escaped bytes, the order lines are written in.
    func escapedKey(at index: Int) -> ArraySlice<UInt8> { keyText[keyRange(index)] }

    /// `key` as it appears between the quotes of a line.
    static func escaped(_ key: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(key.utf8.count + 2)
        JSONValue.writeEscaped(key, into: &output)
        return Array(output.dropFirst().dropLast())
    }

    private static func firstNewline(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, before end: Int) -> Int? {
        guard let base = buffer.baseAddress, let found = memchr(base + start, 0x0A, end - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// `"key":{…}` with an optional trailing comma: the ranges of the key's escaped bytes and of the record.
    private static func split(_ buffer: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> (Range<Int>, Range<Int>)? {
        guard line.count > 4, buffer[line.lowerBound] == UInt8(ascii: "\"") else { return nil }
        var index = line.lowerBound + 1
        while index < line.upperBound {
            switch buffer[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""):
                let key = (line.lowerBound + 1)..<index
                var end = line.upperBound
                if buffer[end - 1] == UInt8(ascii: ",") { end -= 1 }
                guard index + 2 < end, buffer[index + 1] == UInt8(ascii: ":"), buffer[index + 2] == UInt8(ascii: "{"),
                      buffer[end - 1] == UInt8(ascii: "}") else { return nil }
                return (key, (index + 2)..<end)
            default: index += 1
            }
        }
        return nil
    }
}
