import Foundation
import Testing

@testable import SpecSyncGit

@Suite struct ObjectIDTests {
    let sample = "0123456789abcdef0123456789abcdeffedcba98"

    @Test func hexRoundTripsAndIsTheDescription() throws {
        let id = try #require(ObjectID(hex: sample))
        #expect(id.hex == sample)
        #expect(id.description == sample)
        #expect(id.abbreviated() == "0123456")
        #expect(ObjectID(hex: sample.uppercased()) == id)
        #expect(id.bytes.count == 20)
        #expect(id.bytes.first == 0x01 && id.bytes.last == 0x98)
        #expect(ObjectID(bytes: id.bytes) == id)
    }

    @Test func rejectsMalformedHex() {
        #expect(ObjectID(hex: "") == nil)
        #expect(ObjectID(hex: String(sample.dropLast())) == nil)
        #expect(ObjectID(hex: sample + "0") == nil)
        #expect(ObjectID(hex: "g" + sample.dropFirst()) == nil)
        #expect(ObjectID(bytes: [UInt8](repeating: 1, count: 19)) == nil)
    }

    @Test func ordersLikeTheHexString() throws {
        let hexes = [
            "ffffffffffffffff000000000000000000000000", "0000000000000000ffffffffffffffff00000000",
            "00000000000000000000000000000000ffffffff", "0000000000000000000000000000000000000001",
            "8000000000000000000000000000000000000000", "0000000000000001000000000000000000000000",
        ]
        let ids = try hexes.map { try #require(ObjectID(hex: $0)) }
        #expect(ids.sorted().map(\.hex) == hexes.sorted())
        #expect(ObjectID.zero.isZero)
        #expect(ObjectID.zero.hex == String(repeating: "0", count: 40))
    }

    @Test func codableAsHexString() throws {
        let id = try #require(ObjectID(hex: sample))
        let data = try JSONEncoder().encode(["head": id])
        #expect(String(decoding: data, as: UTF8.self) == "{\"head\":\"\(sample)\"}")
        #expect(try JSONDecoder().decode([String: ObjectID].self, from: data) == ["head": id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: ObjectID].self, from: Data("{\"head\":\"nope\"}".utf8))
        }
    }

    @Test func bridgesToGitOID() throws {
        let id = try #require(ObjectID(hex: sample))
        #expect(ObjectID(id.gitOID) == id)
    }
}
