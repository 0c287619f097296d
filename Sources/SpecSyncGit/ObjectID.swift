import CLibgit2

/// A git object id (SHA-1). Stored as three big-endian words rather than an array so it is cheap to
/// copy, hash and compare; the word order makes `<` agree with the byte (and hex) order.
public struct ObjectID: Hashable, Sendable, Comparable {
    private let high: UInt64
    private let middle: UInt64
    private let low: UInt32

    /// The number of raw bytes in an id.
    public static let byteCount = 20

    /// The all-zero id libgit2 uses for "no object".
    public static let zero = ObjectID(high: 0, middle: 0, low: 0)

    private init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Creates an id from exactly 20 raw bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var high: UInt64 = 0
        var middle: UInt64 = 0
        var low: UInt32 = 0
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 0..<8: high = high << 8 | UInt64(byte)
            case 8..<16: middle = middle << 8 | UInt64(byte)
            default: low = low << 8 | UInt32(byte)
            }
        }
        self.init(high: high, middle: middle, low: low)
    }

    /// Parses a full 40-character hex id (either case). Abbreviated ids need a repository:
    /// use `GitRepository.resolveCommit(_:)` for those.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == Self.byteCount * 2 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.byteCount)
        var index = 0
        while index < utf8.count {
            guard let hi = Self.nibble(utf8[index]), let lo = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            index += 2
        }
        self.init(bytes: bytes)
    }

    /// The 20 raw bytes.
    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(Self.byteCount)
        for shift in stride(from: 56, through: 0, by: -8) {
            result.append(UInt8(truncatingIfNeeded: high >> UInt64(shift)))
        }
        for shift in stride(from: 56, through: 0, by: -8) {
            result.append(UInt8(truncatingIfNeeded: middle >> UInt64(shift)))
        }
        for shift in stride(from: 24, through: 0, by: -8) {
            result.append(UInt8(truncatingIfNeeded: low >> UInt32(shift)))
        }
        return result
    }

    /// The 40-character lowercase hex form, as `git rev-parse` prints it.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var chars = [UInt8]()
        chars.reserveCapacity(Self.byteCount * 2)
        for byte in bytes {
            chars.append(digits[Int(byte >> 4)])
            chars.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: chars, as: UTF8.self)
    }

    /// The first `length` hex digits, for logs and messages.
    public func abbreviated(_ length: Int = 7) -> String {
        String(hex.prefix(max(0, length)))
    }

    public var isZero: Bool { self == .zero }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension ObjectID: CustomStringConvertible {
    public var description: String { hex }
}

/// Encoded as the hex string, so state files stay readable and diffable.
extension ObjectID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a 40-character hex git object id")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

// MARK: - Bridging to libgit2 (internal: git_oid never leaves the module)

extension ObjectID {
    init(_ oid: git_oid) {
        let bytes = withUnsafeBytes(of: oid.id) { Array($0) }
        // A git_oid always holds 20 bytes; `zero` is only a formal fallback.
        self = ObjectID(bytes: bytes) ?? .zero
    }

    /// Reads an id libgit2 handed out by pointer; nil when the pointer is NULL.
    init?(_ pointer: UnsafePointer<git_oid>?) {
        guard let pointer else { return nil }
        self.init(pointer.pointee)
    }

    var gitOID: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return oid
    }
}
