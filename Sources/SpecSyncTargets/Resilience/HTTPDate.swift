#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore

/// The HTTP date of RFC 9110 §5.6.7, "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate), as
/// `Retry-After` may carry it. Read by hand: a date formatter would load ICU into the daemon.
enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    private static let weekdays = ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"]

    static func parse(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, weekdays.contains(String(fields[0])), fields[5] == "GMT",
              fields[1].count == 2, let day = Int(fields[1]), (1...31).contains(day),
              let month = months.firstIndex(of: String(fields[2])),
              fields[3].count == 4, let year = Int(fields[3]) else { return nil }
        let time = fields[4].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 3, time.allSatisfy({ $0.count == 2 }),
              let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = CivilDate(year: year, month: month + 1, day: day).daysSince1970
        // "31 Feb" would roll over into March: the day must be in its month.
        let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard day <= monthLengths[month] + (month == 1 && isLeapYear ? 1 : 0) else { return nil }
        return Date(timeIntervalSince1970: Double(((days * 24 + hour) * 60 + minute) * 60 + second))
    }
}
