#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncJSON

/// The state file, schema 3: still one JSON document, laid out so that a pass reads only what it
/// needs.
///
/// ```
/// {"inputsFingerprint":…,"lastSyncedCommit":…,"pending":[…],"schemaVersion":3,…,"bundles":{
/// "bundle-a":{…record…},
/// "bundle-b":{…record…}
/// },"checksum":"crc32c:…"}
/// ```
///
/// The first line holds everything but the records; each record is one line, sorted by key; the
/// last line holds the checksum of everything before it (`StateChecksum`: CRC-32C, or SHA-256 in a
/// schema 2 file, which is laid out the same). Loading verifies the checksum and finds the
/// line ends (`memchr`), then decodes a record only when it is asked for. A file whose checksum does
/// not hold (edited by hand, reformatted) is read whole instead, as any JSON document would be.
enum StateFileFormat {
    static let recordsOpening = Array(#","bundles":{"#.utf8)
    static let trailerOpening = Array(#"},"checksum":""#.utf8)

    static func encode(_ state: SyncState) -> [UInt8] {
        var header = JSONObject()
        header["schemaVersion"] = .number(String(SyncState.currentSchemaVersion))
        header["lineage"] = .string(state.lineage)
        header["serial"] = .number(String(state.serial))
        header["target"] = .object(JSONObject([
            "name": .string(state.target.name), "kind": .string(state.target.kind), "identity": .string(state.target.identity),
        ]))
        if let commit = state.lastSyncedCommit { header["lastSyncedCommit"] = .string(commit) }
        if let fingerprint = state.inputsFingerprint { header["inputsFingerprint"] = .string(fingerprint) }
        if let registration = state.registration {
            header["registration"] = .object(JSONObject([
                "mapping": .string(registration.mapping), "waiting": .array(registration.waiting.sorted().map(JSONValue.string)),
            ]))
        }
        header["pending"] = .array(state.bundles.pendingKeys.sorted().map { .string($0.source) })

        var output = JSONValue.object(header).canonicalBytes
        output.removeLast()
        output += recordsOpening
        output.append(UInt8(ascii: "\n"))
        encodeRecords(state.bundles, into: &output)
        let checksum = StateChecksum.written(over: output[...])
        output += trailerOpening
        output += Array(checksum.text.utf8)
        output += Array("\"}\n".utf8)
        return output
    }

    /// The record lines, `"key":{record}` joined by ",\n" and ending in a newline (none when there
    /// are no records): unchanged lines copied as they were, the others encoded.
    static func encodeRecords(_ bundles: BundleRecords, into output: inout [UInt8]) {
        // One buffer of about the final size, rather than one grown (and copied) by doubling.
        output.reserveCapacity(output.count + bundles.estimatedLineBytes + 128)
        var first = true
        bundles.forEachLine { escapedKey, line in
            if !first { output += Array(",\n".utf8) }
            first = false
            switch line {
            case .verbatim(let bytes):
                output += bytes
            case .record(let record):
                output.append(UInt8(ascii: "\""))
                output += escapedKey
                output += Array("\":".utf8)
                StateLineWriter.write(record, into: &output)
            }
        }
        if !first { output.append(UInt8(ascii: "\n")) }
    }

    /// The last synced commit the first line of `head` (the file's first bytes) names, unverified;
    /// nil when it names none that looks like a commit id.
    static func lastSyncedCommit(inHead head: ArraySlice<UInt8>) -> String? {
        let line = head.prefix { $0 != UInt8(ascii: "\n") }
        guard let start = line.firstRange(of: Array(#""lastSyncedCommit":""#.utf8))?.upperBound else { return nil }
        let hex = line[start...].prefix { $0 != UInt8(ascii: "\"") }
        guard hex.count == 40 || hex.count == 64, hex.allSatisfy(isLowerHexDigit) else { return nil }
        return String(decoding: hex, as: UTF8.self)
    }

    /// 0-9 or a-f: how the file writes commit ids and checksums.
    static func isLowerHexDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) || (97...102).contains(byte) }

    /// The state of a sound file of schema 2 or 3 with its records left unread; nil for anything
    /// else, which is then read whole.
    static func read(_ bytes: [UInt8]) -> SyncState? {
        guard let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n")),
              bytes[..<headerEnd].hasSuffix(recordsOpening) else { return nil }
        var end = bytes.endIndex
        if bytes.last == UInt8(ascii: "\n") { end -= 1 }
        let trailerStart = (bytes[..<end].lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        guard trailerStart > headerEnd else { return nil }
        let trailer = bytes[trailerStart..<end]
        guard trailer.starts(with: trailerOpening), trailer.hasSuffix(Array("\"}".utf8)) else { return nil }
        guard let recorded = StateChecksum(text: trailer.dropFirst(trailerOpening.count).dropLast(2)),
              recorded.holds(over: bytes[..<trailerStart]) else { return nil }

        let headerText = Array(bytes[..<(headerEnd - recordsOpening.count)]) + [UInt8(ascii: "}")]
        guard let header = (try? JSONParser().parse(headerText))?.objectValue,
              var state = SyncState.decodeHeader(header),
              let pending = header["pending"].flatMap(SyncState.strings),
              let records = RecordLines(bytes: bytes, region: (headerEnd + 1)..<trailerStart)
        else { return nil }
        state.bundles = BundleRecords(file: records, pendingKeys: Set(pending.map { BundleID($0) }))
        return state
    }
}

private extension ArraySlice<UInt8> {
    func hasSuffix(_ suffix: [UInt8]) -> Bool { count >= suffix.count && self.suffix(suffix.count).elementsEqual(suffix) }
}
