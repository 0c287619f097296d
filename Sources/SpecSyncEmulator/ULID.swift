/// ULIDs as Versori uses them for connection ids: 48 bits of milliseconds then 80 random bits, in
/// 26 characters of Crockford base32, so ids sort by creation time.
enum ULID {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    static func make(milliseconds: Int64, using generator: inout some RandomNumberGenerator) -> String {
        let time = UInt64(max(milliseconds, 0)) & 0xFFFF_FFFF_FFFF
        var characters: [Character] = (0..<10).map { alphabet[Int((time >> (5 * (9 - UInt64($0)))) & 31)] }
        for _ in 0..<16 { characters.append(alphabet[Int(generator.next(upperBound: UInt8(32)))]) }
        return String(characters)
    }

    /// Whether `text` has the shape of a ULID (case-insensitive, as Crockford decoding is).
    static func isValid(_ text: String) -> Bool {
        let upper = Array(text.uppercased())
        guard upper.count == 26, let first = upper.first, "01234567".contains(first) else { return false }
        return upper.allSatisfy { alphabet.contains($0) }
    }
}
