import Foundation
import SpecSyncCore
import SpecSyncJSON
import SpecSyncTestSupport
import Testing
@testable import SpecSyncTargets

/// A remote's numbers never trap a conversion: what cannot be epoch milliseconds is taken as absent.
@Suite("Remote numbers")
struct RemoteNumberTests {
    func spec(_ json: String) throws -> RemoteSpec {
        try #require(try RemoteSpec.list(from: Array(json.utf8)).first)
    }

    @Test("updatedAt and createdAt that no Int64 holds are absent, not a crash",
          arguments: ["1e308", "-1e308", "1e999999", "9.3e18", "99999999999999999999", String(repeating: "9", count: 100_001)])
    func outOfRange(_ literal: String) throws {
        let remote = try spec(#"{"id":"x","updatedAt":\#(literal),"createdAt":\#(literal)}"#)
        #expect(remote.updatedAt == nil)
        #expect(remote.createdAt == nil)
        #expect(remote.revision == nil)
    }

    @Test("integers, and doubles that are whole milliseconds, are read")
    func inRange() throws {
        #expect(try spec(#"{"id":"x","updatedAt":1700000001000}"#).updatedAt == 1_700_000_001_000)
        #expect(try spec(#"{"id":"x","updatedAt":1.7e12}"#).updatedAt == 1_700_000_000_000)
        #expect(try spec(#"{"id":"x","updatedAt":1700000001000.9}"#).updatedAt == 1_700_000_001_000)
        #expect(try spec(#"{"id":"x","updatedAt":-9223372036854775808}"#).updatedAt == Int64.min)
    }

    @Test("Versori dates outside epoch milliseconds, or not dates, are absent")
    func versoriDates() throws {
        #expect(VersoriClient.milliseconds("2026-01-02T03:04:05.678Z") == 1_767_323_045_678)
        #expect(VersoriClient.milliseconds("+275760-09-13T00:00:00Z") == nil)
        #expect(VersoriClient.milliseconds("yesterday") == nil)
    }

    @Test("a Flxpoint id beyond Int64 is no connection, not a crash")
    func flxpointIDs() throws {
        for literal in ["1e19", "99999999999999999999", "1.5"] {
            #expect(throws: RemoteSpecError.self) { try FlxpointClient.connection(try JSONParser().parse(Array(#"{"id":\#(literal)}"#.utf8))) }
        }
    }
}
