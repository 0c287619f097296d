#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Every secret value the process has come to know (client secrets, API keys, tokens as they are
/// obtained, resolved `$(env:)` and `$(cred:)` values, the git token, the webhook secret), so that
/// text leaving the process can have them replaced by "(sensitive)" wherever they appear, in a
/// server's echo as much as in our own messages. One registry for the process: a value learned by
/// any module is hidden at every exit.
public final class SecretRegistry: Sendable {
    public static let shared = SecretRegistry()

    /// What a hidden value reads as; the same wording as `Secret`'s description.
    public static let placeholder = "(sensitive)"

    /// Values shorter than this are not registered: replacing every "on" or "42" in the output
    /// would garble it and such a value protects nothing anyway.
    public static let minimumLength = 4

    /// Longest first, so a value that contains another is replaced whole.
    private let values = Mutex<[String]>([])

    public init() {}

    /// Remembers `value` and the spellings it takes on the way out: percent-encoded (an echoed form
    /// body or URL) and escaped as any JSON encoder or our log lines write them.
    public func register(_ value: String) {
        guard value.count >= Self.minimumLength else { return }
        let spellings = Set([value, Self.percentEncoded(value)]).union(Self.escapedSpellings(value)).filter { $0.count >= Self.minimumLength }
        values.withLock { known in
            var changed = false
            for spelling in spellings where !known.contains(spelling) {
                known.append(spelling)
                changed = true
            }
            if changed { known.sort { $0.count > $1.count } }
        }
    }

    /// Whether no value is registered: the common case in tests and offline commands, and free.
    public var isEmpty: Bool { values.withLock { $0.isEmpty } }

    /// `text` with every registered value replaced by "(sensitive)".
    public func redact(_ text: String) -> String {
        let known = values.withLock { $0 }
        guard !known.isEmpty, !text.isEmpty else { return text }
        var result = text
        for value in known where Self.occurs(value, in: result) {
            result = result.replacing(value, with: Self.placeholder)
        }
        return result
    }

    /// Whether `redact` would find a registered value in `text`: false for most text, at the cost
    /// of a byte search per value.
    public func appears(in text: String) -> Bool {
        let known = values.withLock { $0 }
        guard !known.isEmpty, !text.isEmpty else { return false }
        return known.contains { Self.occurs($0, in: text) }
    }

    /// `text.contains(value)`, which compares characters (canonical equivalence, `\r\n` as one)
    /// through the standard library's generic searcher: a quarter of `sync --once`'s CPU for 2,000
    /// creates when every string of every body went through it (BENCHMARKS.md). When both are ASCII, no character of `text` can be equivalent
    /// to another spelling, so the bytes not containing `value` settles it; a byte match is
    /// confirmed by `contains`, so what counts as found is exactly what it was.
    static func occurs(_ value: String, in text: String) -> Bool {
        var value = value
        var text = text
        let bytesAbsent = text.withUTF8 { text in
            value.withUTF8 { value in
                ASCIIScan.isASCII(text) && ASCIIScan.isASCII(value) && !containsBytes(text, value)
            }
        }
        return !bytesAbsent && text.contains(value)
    }

    /// Whether `value`'s bytes occur in `text`'s: `memchr` to each candidate first byte, `memcmp` there.
    private static func containsBytes(_ text: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = value.first else { return true }
        guard value.count <= text.count, let base = text.baseAddress, let pattern = value.baseAddress else { return false }
        let last = text.count - value.count
        var start = 0
        while start <= last {
            guard let hit = memchr(base + start, Int32(first), last - start + 1) else { return false }
            let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + offset, pattern, value.count) == 0 { return true }
            start = offset + 1
        }
        return false
    }

    /// Forgets every value: for tests that check one registry in process.
    public func removeAll() {
        values.withLock { $0.removeAll() }
    }

    /// `application/x-www-form-urlencoded` as IMS token requests send it.
    static func percentEncoded(_ text: String) -> String {
        PercentEncoding.encode(text, keeping: "-._*", spaceAsPlus: true)
    }

    /// Every way a JSON encoder may write `text` inside a string: servers differ in whether `\b`
    /// and `\f` are short escapes, in the case of `\u00XX`'s digits, and in escaping `/` (PHP's
    /// `json_encode`, some Java encoders; a base64 secret often holds a `/`) and in writing
    /// non-ASCII as `\uXXXX` (Python's `json.dumps`).
    static func escapedSpellings(_ text: String) -> Set<String> {
        Set(JSONEscaping.all.map { escaped(text, as: $0) })
    }

    /// One encoder's choices. Our own writers (canonical JSON, JSON log lines) use the short forms
    /// with lower-case hex and keep `/` and non-ASCII as they are.
    struct JSONEscaping {
        var shortForms = false
        var upperHex = false
        var slash = false
        var asciiOnly = false

        /// Each combination of the four choices once.
        static let all = (0..<16).map { bits in
            JSONEscaping(shortForms: bits & 1 != 0, upperHex: bits & 2 != 0, slash: bits & 4 != 0, asciiOnly: bits & 8 != 0)
        }
    }

    /// Control characters as `\r`, `\n`, `\t`, `\u00XX` (or `\b`, `\f`), quotes and backslashes
    /// escaped, and the rest as `style` says: how a value appears inside a JSON string.
    static func escaped(_ text: String, as style: JSONEscaping) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "/" where style.slash: result += "\\/"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}" where style.shortForms: result += "\\b"
            case "\u{0C}" where style.shortForms: result += "\\f"
            case let control where control.value < 0x20:
                result += unicodeEscape(UInt16(control.value), upperHex: style.upperHex)
            case let wide where style.asciiOnly && wide.value >= 0x80:
                for unit in String(wide).utf16 { result += unicodeEscape(unit, upperHex: style.upperHex) }
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func unicodeEscape(_ unit: UInt16, upperHex: Bool) -> String {
        let hex = String(unit, radix: 16, uppercase: upperHex)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
