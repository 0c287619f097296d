import SpecSyncJSON
/// Numbers the APIs cannot store as written. Flow Service, Flxpoint and Versori keep JSON numbers
/// as IEEE doubles (as JavaScript and most JSON stacks do, RFC 8259 §6): a literal beyond a double's
/// range (`1e999999`), one that only a double's underflow turns into 0 (`1e-999999`), or an integer
/// beyond ±2^53, where doubles skip integers, would be stored as something other than what git says
/// — so each is an error with its JSON pointer and the body is never sent.
public struct NumberValidator: Sendable {
    /// 2^53: every integer up to it is a double exactly.
    public static let largestExactInteger: UInt64 = 1 << 53
    /// Findings past this many are summed up in one: a generated file can hold millions of numbers.
    static let reportedLimit = 20

    public init() {}

    public func validate(body: JSONValue, file: String) -> [Diagnostic] {
        var findings = Findings(file: file)
        var extra = 0
        body.forEachScalar { value, pointer in
            guard case .number(let literal) = value, let problem = Self.problem(with: literal) else { return }
            if findings.diagnostics.count < Self.reportedLimit {
                findings.error("number-out-of-range", pointer(), "the number \(Self.abbreviated(literal)) \(problem)",
                               help: "the API stores numbers as doubles: use a number within ±2^53 (integers) or ±1.7e308, or a string")
            } else {
                extra += 1
            }
        }
        if extra > 0 {
            findings.error("number-out-of-range", .root, "\(extra) more numbers cannot be stored as written",
                           help: "fix the numbers reported above and validate again")
        }
        return findings.diagnostics
    }

    /// Why the API cannot store `literal` as written (a valid JSON number), or nil when it can.
    public static func problem(with literal: String) -> String? {
        let isInteger = !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        if isInteger {
            let digits = literal.utf8.drop { $0 == UInt8(ascii: "-") }
            // Past 16 digits the value is beyond 2^53 (9007199254740992 has 16).
            guard digits.count <= 16, let magnitude = UInt64(Substring(digits)), magnitude <= largestExactInteger else {
                return "is an integer beyond ±2^53 (9007199254740992), which a double cannot hold exactly"
            }
            return nil
        }
        guard let value = Double(literal), value.isFinite else {
            return "is beyond the range of a double (about ±1.7e308)"
        }
        let mantissa = literal.utf8.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        if value == 0, mantissa.contains(where: { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) {
            return "is too small for a double: it would be stored as 0"
        }
        return nil
    }

    /// A literal as a message shows it: a 100,000-digit number is not quoted whole.
    static func abbreviated(_ literal: String) -> String {
        let count = literal.utf8.count
        guard count > 40 else { return literal }
        return "\(literal.prefix(20))… (\(count) characters)"
    }
}
