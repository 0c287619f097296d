#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `2025-01-02T03:04:05.678Z`: RFC 3339 in UTC with milliseconds, written by hand because
/// `DateFormatter` is neither cheap nor safe to share between threads.
enum RFC3339Timestamp {
    static func string(from date: Date) -> String {
        // Whole milliseconds first: splitting seconds from the fraction in floating point turns
        // .123 into .122.
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(total >= 0 ? total / 1000 : (total - 999) / 1000)
        let milliseconds = Int(total - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(milliseconds, 3))Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
