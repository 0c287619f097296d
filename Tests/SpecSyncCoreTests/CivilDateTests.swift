import Testing
import SpecSyncCore

@Suite("Civil date")
struct CivilDateTests {
    @Test("known dates: the epoch, the day before it, a leap day, the first day of year 0 and of 10000")
    func knownDates() {
        let known: [(Int, CivilDate)] = [
            (0, CivilDate(year: 1970, month: 1, day: 1)), (-1, CivilDate(year: 1969, month: 12, day: 31)),
            (11_016, CivilDate(year: 2000, month: 2, day: 29)), (-719_528, CivilDate(year: 0, month: 1, day: 1)),
            (2_932_897, CivilDate(year: 10_000, month: 1, day: 1)),
        ]
        for (days, date) in known {
            #expect(CivilDate(daysSince1970: days) == date, "\(days)")
            #expect(date.daysSince1970 == days, "\(date)")
        }
    }

    @Test("days and dates turn into each other over ±3,000 years, one day after another")
    func roundTrip() {
        var previous = CivilDate(daysSince1970: -1_100_000)
        for days in -1_099_999...1_100_000 {
            let date = CivilDate(daysSince1970: days)
            #expect(date.daysSince1970 == days)
            // The next day: the same month a day on, or the first of the next month or year.
            let next = date.day == 1
                ? (date.month == 1 ? previous.year + 1 == date.year && previous.month == 12 : previous.month + 1 == date.month)
                : previous.year == date.year && previous.month == date.month && previous.day + 1 == date.day
            if !next { Issue.record("\(previous) is not the day before \(date)") }
            previous = date
        }
    }
}
