import CCRC32C
import SpecSyncJSON

/// The checksum on a state file's last line, `"checksum":"crc32c:…"`: what tells a file specsync
/// wrote from one edited by hand or damaged on disk.
///
/// CRC-32C since schema 3; schema 2 files carry SHA-256, still verified when read, and are written
/// with CRC-32C at their next save. The checksum guards against accidents, not against someone who
/// can write the file (who could write any checksum), and CRC-32C catches every error up to 32
/// bits in a row and all but one in 4 billion others — what file systems (ext4, Btrfs) check
/// their own metadata with. SHA-256 took 27 ms to read and again to write a 46 MB state of
/// 100,000 bundles, a fifth of detecting one change; CRC-32C takes about 7.
enum StateChecksum {
    case crc32c(UInt32)
    case sha256(hex: String)

    /// What a file is written with.
    static func written(over bytes: ArraySlice<UInt8>) -> StateChecksum { .crc32c(crc32c(of: bytes)) }

    /// `crc32c:<8 hex digits>` or `sha256:<64 hex digits>`, as on the last line; nil for anything else.
    init?(text: ArraySlice<UInt8>) {
        if text.starts(with: Self.crc32cPrefix) {
            let hex = text.dropFirst(Self.crc32cPrefix.count)
            guard hex.count == 8, hex.allSatisfy(StateFileFormat.isLowerHexDigit), let value = UInt32(String(decoding: hex, as: UTF8.self), radix: 16) else { return nil }
            self = .crc32c(value)
        } else if text.starts(with: Self.sha256Prefix) {
            let hex = text.dropFirst(Self.sha256Prefix.count)
            guard hex.count == 64, hex.allSatisfy(StateFileFormat.isLowerHexDigit) else { return nil }
            self = .sha256(hex: String(decoding: hex, as: UTF8.self))
        } else {
            return nil
        }
    }

    /// Whether `bytes` (everything before the checksum's line) have this checksum.
    func holds(over bytes: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .crc32c(let value): Self.crc32c(of: bytes) == value
        case .sha256(let hex): JSONValue.sha256Hex(bytes) == hex
        }
    }

    /// As written on the last line.
    var text: String {
        switch self {
        case .crc32c(let value):
            let hex = String(value, radix: 16)
            return "crc32c:" + String(repeating: "0", count: 8 - hex.count) + hex
        case .sha256(let hex):
            return "sha256:" + hex
        }
    }

    static func crc32c(of bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBytes { specsync_crc32c(0, $0.baseAddress, $0.count) }
    }

    private static let crc32cPrefix = Array("crc32c:".utf8)
    private static let sha256Prefix = Array("sha256:".utf8)
}
