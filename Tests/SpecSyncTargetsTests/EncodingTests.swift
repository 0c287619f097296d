import Foundation
import Testing
@testable import SpecSyncTargets

@Suite("Percent-encoding and HTTP dates")
struct EncodingTests {
    @Test("ASCII letters, digits and the kept punctuation stay; every other UTF-8 byte is %XX")
    func percentEncoding() {
        #expect(APIClient.escape("a b/c?d") == "a%20b%2Fc%3Fd")
        #expect(APIClient.escape("café") == "caf%C3%A9")
        #expect(APIClient.escape("!$&'()*+,-.:;=@_~") == "!$&'()*+,-.:;=@_~")
        #expect(APIClient.escapeQuery("name==\"x y\"&z") == "name==%22x%20y%22%26z")
        #expect(IMSTokenProvider<ContinuousClock>.formEncode("a b+c*é") == "a+b%2Bc*%C3%A9")
    }

    @Test("an HTTP date is read exactly, in GMT only, with calendar arithmetic across leap years")
    func httpDates() {
        #expect(HTTPDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == Date(timeIntervalSince1970: 0))
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 12:00:00 GMT") == Date(timeIntervalSince1970: 1_709_208_000))
        #expect(HTTPDate.parse("Tue, 14 Nov 2023 22:13:40 GMT") == Date(timeIntervalSince1970: 1_700_000_020))
        for malformed in ["Sun, 06 Nov 1994 08:49:37 CET", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 06 Nov 1994 08:49 GMT", "Tue, 29 Feb 2023 00:00:00 GMT",
                          "Sat, 31 Apr 2024 00:00:00 GMT", ""] {
            #expect(HTTPDate.parse(malformed) == nil, "\(malformed)")
        }
    }
}
