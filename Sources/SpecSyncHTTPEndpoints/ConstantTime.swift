/// Byte comparison whose running time depends only on the length, never on where the first
/// difference is: a webhook secret must not be guessable one byte at a time from response times.
enum ConstantTime {
    /// True when `lhs` and `rhs` hold the same bytes. Unequal lengths return false at once; callers
    /// compare fixed-length values (MACs, digests), so the length is no secret.
    static func equals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) {
            difference |= left ^ right
        }
        return difference == 0
    }
}
