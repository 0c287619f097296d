/// A date format of `scheduleParams` (`yyyy-MM-ddTHH:mm:ssZ`, `yyyy-MM-ddTHH:mm:ss:fffffffK`),
/// read the way the SDK's examples are written: .NET custom date and time specifiers, every other
/// character literal. Times are UTC, so `K` is `Z` and `zzz` is `+00:00`.
public struct ScheduleFormat: Sendable, Hashable {
    public let pattern: String

    public init(_ pattern: String) { self.pattern = pattern }

    public func format(_ instant: UTCInstant) -> String {
        let characters = Array(pattern)
        var output = ""
        var index = 0
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        while index < characters.count {
            let character = characters[index]
            var run = 1
            while index + run < characters.count, characters[index + run] == character { run += 1 }
            switch character {
            case "y": output += run == 2 ? padded(instant.year % 100, 2) : padded(instant.year, max(run, 4))
            case "M": output += padded(instant.month, min(run, 2))
            case "d": output += padded(instant.day, min(run, 2))
            case "H": output += padded(instant.hour, min(run, 2))
            case "h": output += padded(instant.hour % 12 == 0 ? 12 : instant.hour % 12, min(run, 2))
            case "m": output += padded(instant.minute, min(run, 2))
            case "s": output += padded(instant.second, min(run, 2))
            case "f", "F":
                let digits = min(run, 9)
                var fraction = instant.nanosecond
                for _ in digits..<9 { fraction /= 10 }
                var text = padded(fraction, digits)
                if character == "F" { while text.last == "0" { text.removeLast() } }
                output += text
            case "K": output += String(repeating: "Z", count: run)
            case "z": output += run >= 3 ? "+00:00" : (run == 2 ? "+00" : "+0")
            case "'", "\"":
                // A quoted literal: everything up to the closing quote, as written.
                var end = index + 1
                while end < characters.count, characters[end] != character { end += 1 }
                output += String(characters[min(index + 1, characters.count)..<min(end, characters.count)])
                index = end + 1
                continue
            case "\\":
                if index + 1 < characters.count { output.append(characters[index + 1]) }
                index += 2
                continue
            default:
                output += String(repeating: character, count: run)
            }
            index += run
        }
        return output
    }
}
