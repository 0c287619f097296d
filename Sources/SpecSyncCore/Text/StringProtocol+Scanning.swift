/// Plain scanning of strings with the standard library alone. Foundation's `range(of:)`,
/// `contains(_:)` and `trimmingCharacters(in:)` bridge every call through NSString, which made
/// them the largest cost of evaluating a bundle (see BENCHMARKS.md).
extension StringProtocol {
    /// Whether `needle` occurs, compared byte for byte.
    func containsBytes(_ needle: String) -> Bool {
        utf8.firstRange(of: needle.utf8) != nil
    }

    /// The text without leading and trailing whitespace and newlines.
    func trimmingWhitespaceAndNewlines() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
