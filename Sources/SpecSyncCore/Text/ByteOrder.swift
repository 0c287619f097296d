#if canImport(Glibc)
import Glibc
#endif

/// The order of byte strings that git sorts names in and the state file sorts its lines in:
/// `memcmp` over the common prefix, the shorter first when one is a prefix of the other.
enum ByteOrder {
    /// memcmp's sign: negative when `lhs` comes first, zero when the two are the same bytes.
    static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int32 {
        let common = Swift.min(lhs.count, rhs.count)
        let order = common == 0 ? 0 : memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
        if order != 0 { return order }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }

    static func compare(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Int32 {
        lhs.withUnsafeBufferPointer { left in rhs.withUnsafeBufferPointer { right in compare(left, right) } }
    }

    static func compare(_ lhs: String, _ rhs: String) -> Int32 {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { left in rhs.withUTF8 { right in compare(left, right) } }
    }
}
