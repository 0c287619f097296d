/// Plain scanning of strings with the standard library alone. Foundation's `range(of:)`,
/// `contains(_:)` and `trimmingCharacters(in:)` bridge every call through NSString, and the
/// standard library's generic `firstRange(of:)` instantiates metadata on every call: each was in
/// turn the largest cost of evaluating a bundle (see BENCHMARKS.md).
extension StringProtocol {
    /// Whether `needle` occurs, compared byte for byte.
    func containsBytes(_ needle: StaticString) -> Bool {
        firstByteRange(of: needle) != nil
    }

    /// The first occurrence of `needle`, compared byte for byte.
    func firstByteRange(of needle: StaticString) -> Range<Index>? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first else { return startIndex..<startIndex }
        var index = utf8.startIndex
        let end = utf8.endIndex
        while index != end {
            if utf8[index] == first {
                var probe = index
                var matched = 0
                while matched < pattern.count, probe != end, utf8[probe] == pattern[matched] {
                    matched += 1
                    probe = utf8.index(after: probe)
                }
                if matched == pattern.count { return index..<probe }
            }
            index = utf8.index(after: index)
        }
        return nil
    }

    /// The text without leading and trailing whitespace and newlines.
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming { $0.isWhitespace }
    }

    /// The text without leading and trailing line breaks (a secret file's final newline).
    public func trimmingNewlines() -> String {
        trimming { $0.isNewline }
    }

    private func trimming(_ isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
