import SpecSyncCore

/// A moment as UTC calendar fields, read from RFC 3339 text ("2024-03-01T12:00:00+01:00" is
/// 11:00 UTC). Civil-date arithmetic by hand (`CivilDate`): the binary links FoundationEssentials only.
public struct UTCInstant: Sendable, Hashable, Comparable {
    public let year: Int, month: Int, day: Int
    public let hour: Int, minute: Int, second: Int
    public let nanosecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }

    /// Seconds since 1970-01-01T00:00:00Z, fractions apart.
    public var epochSeconds: Int {
        CivilDate(year: year, month: month, day: day).daysSince1970 * 86_400 + hour * 3_600 + minute * 60 + second
    }

    public init(epochSeconds: Int, nanosecond: Int = 0) {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : -((-epochSeconds + 86_399) / 86_400)
        let rest = epochSeconds - days * 86_400
        let date = CivilDate(daysSince1970: days)
        self.init(year: date.year, month: date.month, day: date.day, hour: rest / 3_600, minute: rest % 3_600 / 60, second: rest % 60, nanosecond: nanosecond)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`, `z` and a space for `T` are accepted too.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45,
              let day = number(8, 2), [84, 116, 32].contains(bytes[10]), let hour = number(11, 2), bytes[13] == 58,
              let minute = number(14, 2), bytes[16] == 58, let second = number(17, 2),
              (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var nanosecond = 0
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            var digits = 0
            while index < bytes.count, (48...57).contains(bytes[index]) {
                if digits < 9 { nanosecond = nanosecond * 10 + Int(bytes[index] - 48); digits += 1 }
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanosecond *= 10 }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case 90, 122:
            guard index + 1 == bytes.count else { return nil }
        case 43, 45:
            guard index + 6 == bytes.count, let hours = number(index + 1, 2), bytes[index + 3] == 58, let minutes = number(index + 4, 2) else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == 43 ? 1 : -1)
        default:
            return nil
        }
        let local = UTCInstant(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        self.init(epochSeconds: local.epochSeconds - offset, nanosecond: nanosecond)
    }

    public static func < (lhs: UTCInstant, rhs: UTCInstant) -> Bool {
        (lhs.epochSeconds, lhs.nanosecond) < (rhs.epochSeconds, rhs.nanosecond)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
