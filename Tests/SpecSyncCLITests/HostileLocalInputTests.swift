import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// Issue 16, the local half, through the real binary against the emulator: numbers that would
/// trap, numbers no double holds, a corrupt git object, a state file edited behind specsync's back.
@Suite("hostile local input", .serialized, .timeLimit(.minutes(3)))
struct HostileLocalInputTests {
    func specsync(_ arguments: [String], in fixture: GitFixture, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret].merging(environment) { $1 })
    }

    func report(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    @Test("a duration of 1e13 h: every command, validate included, exits 1 with the file, line and column; none traps")
    func overflowingDuration() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let configuration = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
            let line = configuration.split(separator: "\n", omittingEmptySubsequences: false).count + 2
            try fixture.write(configuration + "daemon:\n  retry:\n    max: 10000000000000h\n", to: "specsync.yaml")
            for command in [["validate"], ["plan", "--offline"], ["status"], ["sync", "--once"]] {
                let result = try await specsync(command, in: fixture)
                #expect(result.status == 1, "\(command): \(result.status) \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)")
                #expect(result.stderr.contains("specsync.yaml:\(line):10: 'daemon.retry.max' is '10000000000000h', longer than"), "\(command): \(result.stderr)")
                #expect(!result.stderr.contains("Fatal error"), "\(command)")
            }
            #expect(await emulator.store.statistics().writes == 0)
        }
    }

    @Test("numbers no double can hold (1e999999, 100,001 digits, 2^53 + 1) are errors with a JSON pointer and never sent")
    func unstorableNumbers() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let literals = ["huge": "1e999999", "long": String(repeating: "7", count: 100_001), "inexact": "9007199254740993"]
            for (name, literal) in literals {
                try SampleBundle.write("number-\(name)", in: fixture.directory)
                try fixture.write(SampleBundle.spec(name: "number-\(name) source", extra: "\n  \"maxRecords\": \(literal),"),
                                  to: "Sources/number-\(name)/Artifacts/number-\(name)-connectionSpec.json")
            }
            try fixture.commitAll("numbers")
            let validate = try await specsync(["validate"], in: fixture)
            #expect(validate.status != 0)
            for name in literals.keys {
                #expect(validate.stdout.contains("Sources/number-\(name)/Artifacts/number-\(name)-connectionSpec.json#/maxRecords: error: the number"),
                        "\(name): \(validate.stdout)")
            }
            let result = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(result.status == 3, "\(result.stderr)")
            let invalid = try report(result)["invalid"] as? [[String: Any]] ?? []
            #expect(Set(invalid.compactMap { $0["bundle"] as? String }) == ["number-huge", "number-long", "number-inexact"])
            let names = await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/name")]?.stringValue }
            #expect(!names.contains { $0.hasPrefix("number-") }, "\(names)")
            #expect(names.count == 3, "the example bundles are synced: \(names)")
        }
    }

    @Test("a deleted loose blob fails only its bundle, naming bundle and path; the pass goes on and exits 3")
    func corruptObject() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let path = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
            let blob = try fixture.git("rev-parse", "HEAD:\(path)")
            try FileManager.default.removeItem(atPath: fixture.path + "/.git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
            let result = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
            let invalid = try report(result)["invalid"] as? [[String: Any]] ?? []
            #expect(invalid.count == 1, "\(invalid)")
            #expect(invalid.first?["bundle"] as? String == "acme-orders")
            let reason = invalid.first?["reason"] as? String ?? ""
            #expect(reason.contains(path) && reason.contains(blob), "\(reason)")
            let names = await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/name")]?.stringValue }
            #expect(names.count == 2, "the other two bundles are synced: \(names)")
        }
    }

    @Test("a loose blob whose file holds another object (a valid spec that is not the one committed): only its bundle fails, naming bundle, path and id; the other spec is never sent")
    func blobNotMatchingItsID() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            let path = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
            let blob = try fixture.git("rev-parse", "HEAD:\(path)")
            let committed = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
            let other = committed.replacingOccurrences(of: "\"version\": \"1.0\"", with: "\"version\": \"6.6\"")
            #expect(other != committed)
            let otherFile = try fixture.write(other, to: "other-spec.json")
            let otherBlob = try fixture.git("hash-object", "-w", otherFile.path)
            let objects = fixture.path + "/.git/objects/"
            let target = objects + "\(blob.prefix(2))/\(blob.dropFirst(2))"
            try FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: objects + "\(otherBlob.prefix(2))/\(otherBlob.dropFirst(2))", toPath: target)
            let result = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
            let invalid = try report(result)["invalid"] as? [[String: Any]] ?? []
            #expect(invalid.map { $0["bundle"] as? String } == ["acme-orders"], "\(invalid)")
            let reason = invalid.first?["reason"] as? String ?? ""
            #expect(reason.contains(path) && reason.contains(blob), "\(reason)")
            let versions = await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/version")]?.stringValue }
            #expect(!versions.contains("6.6"), "the other object's spec was sent: \(versions)")
            #expect(versions.count == 2, "the other two bundles are synced: \(versions)")
        }
    }

    @Test("a tree the diff needs is missing: the pass compares every bundle instead, and only the bundle of that tree fails")
    func missingTreeInDiff() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let spec = "Sources/acme-orders/Artifacts/acme-orders-connectionSpec.json"
            let text = try String(contentsOf: fixture.url.appendingPathComponent(spec), encoding: .utf8)
            try fixture.write(text.replacingOccurrences(of: "\"version\": \"1.0\"", with: "\"version\": \"1.1\""), to: spec)
            try fixture.commitAll("acme 1.1")
            let tree = try fixture.git("rev-parse", "HEAD:Sources/acme-orders/Artifacts")
            try FileManager.default.removeItem(atPath: fixture.path + "/.git/objects/\(tree.prefix(2))/\(tree.dropFirst(2))")
            let result = try await specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
            let invalid = try report(result)["invalid"] as? [[String: Any]] ?? []
            #expect(invalid.map { $0["bundle"] as? String } == ["acme-orders"], "\(invalid)")
            #expect((invalid.first?["reason"] as? String)?.contains("Sources/acme-orders/Artifacts") == true, "\(invalid)")
            _ = emulator
        }
    }

    @Test("a state file with one hex digit of an id flipped: sync and plan refuse, naming the record; SPECSYNC_ACCEPT_STATE_EDIT=1 accepts it once")
    func flippedStateDigit() async throws {
        try await SyncCommandTests.withExampleRepository { emulator, fixture in
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let statePath = fixture.path + "/.specsync/emulator.state.json"
            // A second whole write, so that the backup holds the records too.
            try fixture.write(SampleBundle.spec(name: "later source"), to: "Sources/later/Artifacts/later-connectionSpec.json")
            try fixture.commitAll("later")
            #expect(try await specsync(["sync", "--once"], in: fixture).status == 0)
            let text = try String(contentsOfFile: statePath, encoding: .utf8)
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("\"mailchimp-members\":") })
            let id = try #require(line.firstRange(of: #""id":""#).map { line[$0.upperBound...].prefix(36) })
            let last = id.last!
            let flippedID = id.dropLast() + (last == "0" ? "1" : "0")
            let flipped = text.replacingOccurrences(of: "\"id\":\"\(id)\"", with: "\"id\":\"\(flippedID)\"")
            #expect(flipped != text)
            try flipped.write(toFile: statePath, atomically: false, encoding: .utf8)

            for command in [["sync", "--once"], ["plan"]] {
                let refused = try await specsync(command, in: fixture)
                #expect(refused.status == 1, "\(command): \(refused.stdout)\(refused.stderr)")
                #expect(refused.stderr.contains("does not match its checksum"), "\(command): \(refused.stderr)")
                // The backup is the state before the last whole write: 'later' differs too, rightly.
                #expect(refused.stderr.contains("the records 'later', 'mailchimp-members' differ from"), "\(command): \(refused.stderr)")
                #expect(refused.stderr.contains("SPECSYNC_ACCEPT_STATE_EDIT=1"), "\(command): \(refused.stderr)")
            }
            #expect(try String(contentsOfFile: statePath, encoding: .utf8) == flipped, "refused: nothing wrote over it")

            let accepted = try await specsync(["status"], in: fixture, environment: ["SPECSYNC_ACCEPT_STATE_EDIT": "1"])
            #expect(accepted.status == 0, "\(accepted.stderr)")
            // Written whole again with a checksum at once: the next run needs no acceptance.
            let next = try await specsync(["sync", "--once"], in: fixture)
            #expect(!next.stderr.contains("checksum"), "\(next.stderr)")
            #expect(try String(contentsOfFile: statePath + ".backup", encoding: .utf8) == flipped, "the edited file is the backup")
            _ = emulator
        }
    }
}
