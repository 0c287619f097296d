import Testing
@testable import SpecSyncCore

/// The sorted set a commit's folders are kept in: byte order, as `BundleID` compares, with the
/// answers a `Set` would give.
@Suite("Sorted bundle set")
struct SortedBundleSetTests {
    static let names = BundleIDTests.names.map { BundleID($0) }

    @Test("built from any order with repeats: each bundle once, in byte order; twins in two normalizations stay two")
    func building() {
        let shuffled = Self.names.reversed() + Self.names.shuffled() + [BundleID("café")]
        let set = SortedBundleSet(shuffled)
        #expect(set.elements == Array(Set(Self.names)).sorted())
        #expect(set.count == Self.names.count)
        #expect(zip(set.elements, set.elements.dropFirst()).allSatisfy { Array($0.source.utf8).lexicographicallyPrecedes(Array($1.source.utf8)) })
        #expect(set.contains(BundleID("café")) && set.contains(BundleID("cafe\u{301}")))
        let ascending = SortedBundleSet(ascending: [BundleID("a"), BundleID("a"), BundleID("b"), BundleID("c"), BundleID("c"), BundleID("c")])
        #expect(ascending.elements == [BundleID("a"), BundleID("b"), BundleID("c")], "repeats in a listing are dropped")
        #expect(SortedBundleSet(ascending: []).isEmpty && SortedBundleSet().isEmpty)
    }

    @Test("membership is a Set's, for every name in it and for names beside it")
    func membership() {
        let half = Set(Self.names.indices.filter { $0 % 2 == 0 }.map { Self.names[$0] })
        let set = SortedBundleSet(half)
        for name in Self.names + ["0", "zzz", "bench-0000100", "a\u{0}"].map({ BundleID($0) }) {
            #expect(set.contains(name) == half.contains(name), "\(name.escapedForDisplay)")
        }
        #expect(!SortedBundleSet().contains(BundleID("a")))
    }

    @Test("taking bundles out gives what a Set's subtraction gives, in order, whether or not the removed ones are members")
    func subtraction() {
        let all = SortedBundleSet(Self.names)
        let removals: [[BundleID]] = [
            [], Array(all), [all[0]], [all[all.count - 1]], all.indices.filter { $0 % 3 == 1 }.map { all[$0] },
            [BundleID("0-not-there"), all[2], BundleID("m-not-there"), all[5], BundleID("~~not-there")].sorted(),
        ]
        for removed in removals {
            let left = all.subtracting(ascending: removed)
            #expect(left.elements == Array(Set(all).subtracting(removed)).sorted(), "\(removed.map(\.escapedForDisplay))")
        }
    }
}
