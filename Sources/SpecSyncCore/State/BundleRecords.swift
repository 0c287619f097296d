import SpecSyncJSON

/// A state's records by bundle: those read from the state file, decoded when asked for, under the
/// ones set since. Lookups cost what the bundles asked about cost, not what the state holds, and
/// the bundles that need another look (`pendingKeys`) are known without reading any record.
public struct BundleRecords: Sendable {
    private var file: RecordLines?
    /// Records set (or removed: nil) since the file was read; keyed by bytes (`BundleID`), as git
    /// names folders.
    private var changes: [BundleID: BundleRecord?] = [:]
    public private(set) var count = 0
    /// Bundles whose record does not prove that the remote matches it (`BundleRecord.isPending`).
    public private(set) var pendingKeys: Set<BundleID> = []

    public init() {}

    /// The records of a state file, with its list of pending ones.
    init(file: RecordLines, pendingKeys: Set<BundleID>) {
        self.file = file
        self.count = file.count
        self.pendingKeys = pendingKeys
    }

    public var isEmpty: Bool { count == 0 }

    /// The same records, each a line of bytes again, decoded only when asked for; records decoded
    /// so far are forgotten. A pass leaves every record it set as a decoded value, about 1 KB with
    /// its strings, where its line takes a fifth of that: a daemon over 10,000 bundles held them
    /// all between passes (BENCHMARKS.md, "Round two: watching and scale").
    public func compacted() -> BundleRecords {
        guard !changes.isEmpty else {
            file?.forgetDecoded()
            return self
        }
        var encoded: [UInt8] = []
        StateFileFormat.encodeRecords(self, into: &encoded)
        let bytes = encoded.exactlySized
        guard let lines = RecordLines(bytes: bytes, region: 0..<bytes.count), lines.count == count else {
            preconditionFailure("the state's records do not read back from the lines they were just encoded as")
        }
        return BundleRecords(file: lines, pendingKeys: pendingKeys)
    }

    public subscript(key: String) -> BundleRecord? {
        get {
            if let change = changes[BundleID(key)] { return change }
            guard let file, let index = file.index(of: key) else { return nil }
            return file.record(at: index)
        }
        set {
            let existed = contains(key)
            changes[BundleID(key)] = .some(newValue)
            count += (newValue != nil ? 1 : 0) - (existed ? 1 : 0)
            if let newValue, newValue.isPending { pendingKeys.insert(BundleID(key)) } else { pendingKeys.remove(BundleID(key)) }
        }
    }

    public func contains(_ key: String) -> Bool {
        if let change = changes[BundleID(key)] { return change != nil }
        return file?.index(of: key) != nil
    }

    /// Those of `ids` that have no record, without decoding any. In ascending order (as
    /// `GitCommitSource.bundleIDs` lists them) the file's lines are walked once beside them: a
    /// binary search for each of 100,000 bundles was 15% of a pass with nothing to do.
    public func unrecorded(among ids: [BundleID]) -> [BundleID] {
        var cursor = 0
        return ids.filter { id in
            if !changes.isEmpty, let change = changes[id] { return change == nil }
            guard let file else { return true }
            return !file.contains(id.source, from: &cursor)
        }
    }

    /// About how many bytes the records take as lines: the file's as they are, 512 for each set since.
    var estimatedLineBytes: Int { (file?.byteCount ?? 0) + changes.count * 512 }

    /// Every key, without decoding any record.
    public var keys: [String] {
        var keys: [String] = []
        keys.reserveCapacity(count)
        forEachKey { key, _ in keys.append(key) }
        return keys
    }

    /// Each present key once, with the record when it was set since the file was read, or the
    /// file's line to decode it from.
    private func forEachKey(_ body: (String, Stored) -> Void) {
        if let file {
            for index in 0..<file.count {
                let key = file.key(at: index)
                if changes.isEmpty || changes[BundleID(key)] == nil { body(key, .line(file, index)) }
            }
        }
        for (key, change) in changes {
            if let change { body(key.source, .set(change)) }
        }
    }

    private enum Stored {
        case line(RecordLines, Int)
        case set(BundleRecord)

        var record: BundleRecord {
            switch self {
            case .line(let file, let index): file.record(at: index)
            case .set(let record): record
            }
        }
    }

    public var values: [BundleRecord] { map(\.value) }

    /// The records as they will be written: unchanged lines of the file as they were, in the file's
    /// key order, merged with the records set since.
    ///
    /// One walk beside the file's sorted keys, comparing escaped bytes (`memcmp`): no key is turned
    /// into a string or hashed per line, and the changes are sorted as indices, not as records.
    func forEachLine(_ body: (_ escapedKey: ArraySlice<UInt8>, _ line: Line) -> Void) {
        // Removals too, so that the walk skips their lines. The escaped keys beside the changes'
        // positions: the sort compares keys only, and no record is copied (an array of them was
        // 12.8 MB at the end of a first sync of 50,000).
        var keys: [ArraySlice<UInt8>] = []
        var positions: [Dictionary<BundleID, BundleRecord?>.Index] = []
        keys.reserveCapacity(changes.count)
        positions.reserveCapacity(changes.count)
        for position in changes.indices {
            keys.append(RecordLines.escaped(changes[position].key.source)[...])
            positions.append(position)
        }
        func record(_ change: Int) -> BundleRecord? { changes[positions[change]].value }
        let order = keys.indices.sorted { ByteOrder.compare(keys[$0], keys[$1]) < 0 }
        var next = order.startIndex
        /// Emits the changes ordered before `bound` (all that are left when nil); true when the next
        /// change is `bound`'s own key.
        func emitChanges(before bound: ArraySlice<UInt8>?) -> Bool {
            while next < order.endIndex {
                let change = order[next]
                if let bound {
                    let order = ByteOrder.compare(keys[change], bound)
                    if order == 0 { return true }
                    if order > 0 { return false }
                }
                if let record = record(change) { body(keys[change], .record(record)) }
                next += 1
            }
            return false
        }
        if let file {
            for index in 0..<file.count {
                let escaped = file.escapedKey(at: index)
                if emitChanges(before: escaped) {
                    // Set or removed since the file was read: the change takes the line's place.
                    if let record = record(order[next]) { body(escaped, .record(record)) }
                    next += 1
                    continue
                }
                body(escaped, .verbatim(file.line(at: index)))
            }
        }
        _ = emitChanges(before: nil)
    }

    enum Line {
        case verbatim(ArraySlice<UInt8>)
        case record(BundleRecord)
    }
}

extension BundleRecords: Sequence {
    public func makeIterator() -> Array<(key: String, value: BundleRecord)>.Iterator {
        var all: [(key: String, value: BundleRecord)] = []
        all.reserveCapacity(count)
        forEachKey { key, stored in all.append((key, stored.record)) }
        return all.makeIterator()
    }
}

extension BundleRecords: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, BundleRecord)...) {
        self.init()
        for (key, record) in elements { self[key] = record }
    }

    public init(_ dictionary: [String: BundleRecord]) {
        self.init()
        changes.reserveCapacity(dictionary.count)
        for (key, record) in dictionary { self[key] = record }
    }

    /// By `String` key: names that differ only in Unicode normalization share one entry here (the
    /// first), so this is for small states and tests, never for writing the state.
    public var dictionary: [String: BundleRecord] { Dictionary(map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }) }
}

extension BundleRecords: Equatable {
    public static func == (lhs: BundleRecords, rhs: BundleRecords) -> Bool {
        func sorted(_ records: BundleRecords) -> [(key: BundleID, value: BundleRecord)] {
            records.map { (BundleID($0.key), $0.value) }.sorted { $0.key < $1.key }
        }
        return lhs.count == rhs.count && sorted(lhs).elementsEqual(sorted(rhs)) { $0.key == $1.key && $0.value == $1.value }
    }
}

extension BundleRecords: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [String: BundleRecord](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try dictionary.encode(to: encoder)
    }
}
