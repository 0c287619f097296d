import SpecSyncSourceRuntime
import Testing

@Suite("scheduleParams date formats")
struct ScheduleFormatTests {
    @Test("RFC 3339 input is read as UTC, offsets applied")
    func readsRFC3339() throws {
        let instant = try #require(UTCInstant(rfc3339: "2024-03-01T00:30:00+01:00"))
        #expect(instant == UTCInstant(year: 2024, month: 2, day: 29, hour: 23, minute: 30))
        #expect(UTCInstant(rfc3339: "2024-01-01T00:00:00.1234567Z")?.nanosecond == 123_456_700)
        #expect(UTCInstant(rfc3339: "1969-12-31T23:59:59Z")?.epochSeconds == -1)
        #expect(UTCInstant(rfc3339: "2024-02-30T00:00:00Z") == nil)
        #expect(UTCInstant(rfc3339: "2024-01-01") == nil)
        #expect(UTCInstant(rfc3339: "2024-01-01T00:00:00") == nil, "an offset is required")
    }

    @Test("the SDK's formats: literal T and Z, seven fraction digits, K as Z")
    func formats() throws {
        let instant = try #require(UTCInstant(rfc3339: "2024-05-06T07:08:09.5Z"))
        #expect(ScheduleFormat("yyyy-MM-ddTHH:mm:ssZ").format(instant) == "2024-05-06T07:08:09Z")
        #expect(ScheduleFormat("yyyy-MM-ddTHH:mm:ss:fffffffK").format(instant) == "2024-05-06T07:08:09:5000000Z")
        #expect(ScheduleFormat("yyyy-MM-dd'T'HH:mm:ss.FFFzzz").format(instant) == "2024-05-06T07:08:09.5+00:00")
        #expect(ScheduleFormat("dd/MM/yy").format(instant) == "06/05/24")
    }
}
