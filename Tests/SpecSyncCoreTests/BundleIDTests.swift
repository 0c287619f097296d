import Testing
@testable import SpecSyncCore

/// Bundle names compare and hash by their UTF-8 bytes, as git names folders.
@Suite("Bundle ID")
struct BundleIDTests {
    static let names = ["", "a", "ab", "a/b", "b", "A", "café", "cafe\u{301}", "caf", "🚀", "bench-000001", "bench-000010",
                        "bench-00001", String(repeating: "x", count: 15), String(repeating: "x", count: 16), "x\u{0}y", "ÿ"]

    @Test("order and equality are those of the UTF-8 bytes, for every pair of names: short and long strings, prefixes, twins in two normalizations")
    func bytewise() {
        for lhs in Self.names {
            for rhs in Self.names {
                let left = Array(lhs.utf8), right = Array(rhs.utf8)
                #expect((BundleID(lhs) < BundleID(rhs)) == left.lexicographicallyPrecedes(right), "\(lhs) < \(rhs)")
                #expect((BundleID(lhs) == BundleID(rhs)) == (left == right), "\(lhs) == \(rhs)")
                if left == right { #expect(BundleID(lhs).hashValue == BundleID(rhs).hashValue) }
            }
        }
    }

    @Test("a name is ASCII exactly when each of its bytes is, wherever the first other byte is (every offset of short and long names)")
    func ascii() {
        for name in Self.names {
            #expect(BundleID(name).isASCII == name.utf8.allSatisfy { $0 < 0x80 }, "\(name)")
        }
        for length in 1...40 {
            #expect(BundleID(String(repeating: "a", count: length)).isASCII)
            for position in 0..<length {
                var scalars = Array(repeating: Character("a"), count: length)
                scalars[position] = "é"
                #expect(!BundleID(String(scalars)).isASCII, "length \(length), é at \(position)")
            }
        }
    }

    @Test("a name written precomposed and decomposed is two bundles in a set, as it is two folders in git")
    func normalizationTwins() {
        let twins: Set<BundleID> = [BundleID("café"), BundleID("cafe\u{301}")]
        #expect(twins.count == 2)
        let all = Set(Self.names.map { BundleID($0) })
        #expect(all.count == Self.names.count)
    }
}
