/// A set of bundles kept as an array in ascending byte order (`BundleID`'s order): what a commit's
/// folders are listed as, and what the bundles left out of a pass are.
///
/// A `Set` of a commit's 100,000 folders cost hashing every name on each pass (an eighth of
/// detecting one change at that size) to answer questions about the few bundles that changed. Here building
/// it is a walk over the sorted listing, membership a binary search, and taking the changed
/// bundles out one walk beside them.
public struct SortedBundleSet: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    public private(set) var elements: [BundleID]

    public init() { elements = [] }

    /// Any bundles, in any order, repeated or not.
    public init<Bundles: Sequence>(_ bundles: Bundles) where Bundles.Element == BundleID {
        self.init(ascending: bundles.sorted())
    }

    public init(arrayLiteral bundles: BundleID...) { self.init(bundles) }

    /// Bundles already in ascending order (a listing of git's): only repeats are dropped. Out of
    /// order is a caller's bug.
    public init(ascending bundles: [BundleID]) {
        var elements = bundles
        if elements.count > 1 {
            var kept = 1
            for index in 1..<elements.count {
                let order = ByteOrder.compare(elements[kept - 1].source, elements[index].source)
                precondition(order <= 0, "SortedBundleSet(ascending:) was given bundles out of order")
                if order < 0 {
                    elements.swapAt(kept, index)
                    kept += 1
                }
            }
            elements.removeLast(elements.count - kept)
        }
        self.elements = elements
    }

    public var startIndex: Int { elements.startIndex }
    public var endIndex: Int { elements.endIndex }
    public subscript(position: Int) -> BundleID { elements[position] }

    /// One byte comparison per step (`BundleID`'s `==` and `<` would make two).
    public func contains(_ bundle: BundleID) -> Bool {
        var low = 0
        var high = elements.count
        while low < high {
            let middle = (low + high) / 2
            let order = ByteOrder.compare(elements[middle].source, bundle.source)
            if order == 0 { return true }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return false
    }

    /// These bundles without `removed`, which is in ascending order too: one walk beside it.
    public func subtracting(ascending removed: [BundleID]) -> SortedBundleSet {
        guard !removed.isEmpty else { return self }
        var kept: [BundleID] = []
        kept.reserveCapacity(elements.count)
        var cursor = 0
        for bundle in elements {
            var order: Int32 = 1
            while cursor < removed.count {
                order = ByteOrder.compare(removed[cursor].source, bundle.source)
                if order >= 0 { break }
                cursor += 1
            }
            if cursor < removed.count, order == 0 { continue }
            kept.append(bundle)
        }
        return SortedBundleSet(sorted: kept)
    }

    private init(sorted elements: [BundleID]) { self.elements = elements }
}
