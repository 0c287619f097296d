import CCRC32C
import Testing
@testable import SpecSyncCore

/// The state file's CRC-32C: the published check value, and the processor's instruction, the table
/// and a bit-at-a-time reference agreeing at every length and alignment.
@Suite("State checksum")
struct StateChecksumTests {
    /// CRC-32C one bit at a time, straight from the polynomial: the reference the fast paths are held to.
    static func bitwiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0x82F6_3B78 : 0) }
        }
        return ~crc
    }

    static func hardware(_ bytes: ArraySlice<UInt8>) -> UInt32 { bytes.withUnsafeBytes { specsync_crc32c(0, $0.baseAddress, $0.count) } }
    static func portable(_ bytes: ArraySlice<UInt8>) -> UInt32 { bytes.withUnsafeBytes { specsync_crc32c_portable(0, $0.baseAddress, $0.count) } }

    @Test("the check value of \"123456789\" is e3069283 (RFC 3720's CRC-32C) on every path, and of nothing is 0")
    func checkValue() {
        let digits = Array("123456789".utf8)
        #expect(Self.bitwiseCRC32C(digits) == 0xE306_9283)
        #expect(Self.hardware(digits[...]) == 0xE306_9283)
        #expect(Self.portable(digits[...]) == 0xE306_9283)
        #expect(Self.hardware([]) == 0 && Self.portable([]) == 0)
        #expect(StateChecksum.crc32c(of: digits[...]) == 0xE306_9283)
        #expect(StateChecksum.crc32c(0xE306_9283).text == "crc32c:e3069283")
        #expect(StateChecksum.crc32c(0xAB).text == "crc32c:000000ab", "always eight digits")
    }

    @Test("every length up to 100 at every alignment, and a megabyte: the three paths agree; continuing a CRC equals one over the whole")
    func pathsAgree() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<1_048_583).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<8 {
            for length in 0...100 {
                let slice = bytes[start..<(start + length)]
                let expected = Self.bitwiseCRC32C(Array(slice))
                #expect(Self.hardware(slice) == expected, "start \(start), length \(length)")
                #expect(Self.portable(slice) == expected, "start \(start), length \(length)")
            }
        }
        let whole = Self.bitwiseCRC32C(bytes)
        #expect(Self.hardware(bytes[...]) == whole)
        #expect(Self.portable(bytes[...]) == whole)
        let split = bytes.withUnsafeBytes { raw in
            specsync_crc32c(specsync_crc32c(0, raw.baseAddress, 1000), raw.baseAddress! + 1000, raw.count - 1000)
        }
        #expect(split == whole)
    }

    @Test("one flipped bit anywhere in a state file's bytes changes its checksum")
    func flippedBit() {
        let text = Array(#"{"schemaVersion":3,"bundles":{"a":{"id":"4f2a0c1e-0000-4000-8000-00000000000a"}"#.utf8)
        let sound = StateChecksum.written(over: text[...])
        for index in text.indices {
            for bit in 0..<8 {
                var flipped = text
                flipped[index] ^= 1 << bit
                #expect(!sound.holds(over: flipped[...]), "byte \(index), bit \(bit)")
            }
        }
        #expect(sound.holds(over: text[...]))
    }
}
