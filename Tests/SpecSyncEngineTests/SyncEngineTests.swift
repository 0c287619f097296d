import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncEngine
import SpecSyncJSON
import SpecSyncTargets
import SpecSyncTestSupport
import Testing

/// `sync --once` passes over the real HTTP stack against the emulator.
@Suite("Sync engine against the emulator", .serialized)
struct SyncEngineTests {
    @Test("first sync creates all, second writes nothing, a one-file change PUTs exactly one body equal to the canonical body")
    func lifecycle() async throws {
        try await EngineHarness.with(bundles: ["alpha", "beta", "gamma"]) { harness in
            let first = try await harness.sync()
            #expect(first.created == [BundleID("alpha"), BundleID("beta"), BundleID("gamma")])
            #expect(first.isInSync)
            let state = try #require(try harness.store.load())
            let stored = await harness.emulator.store.connectionSpecs()
            #expect(stored.count == 3)
            for source in ["alpha", "beta", "gamma"] {
                let record = try #require(state[BundleID(source)])
                let remote = try #require(stored.first { $0[JSONPointer("/id")]?.stringValue == record.id })
                #expect(record.updatedAt.map { String($0) } == remote[JSONPointer("/updatedAt")].flatMap { if case .number(let n) = $0 { n } else { nil } })
                #expect(sentBody(remote).canonicalBytes == (try await harness.desiredBody(source)).canonicalBytes)
            }
            let writesAfterFirst = await harness.emulator.store.statistics().writes

            let second = try await harness.sync()
            #expect(second.writes == 0)
            #expect(second.unchanged == 3)
            #expect(await harness.emulator.store.statistics().writes == writesAfterFirst, "a no-op pass sends no write")

            try harness.fixture.write(SampleBundle.spec(name: "beta source", path: "/3.0/lists/${listId}/segments"),
                                      to: "Sources/beta/Artifacts/beta-connectionSpec.json")
            try harness.fixture.commitAll("edit beta")
            let third = try await harness.sync()
            #expect(third.updated == [BundleID("beta")])
            #expect(third.unchanged == 2)
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.writes == writesAfterFirst + 1)
            let betaID = try #require(try harness.store.load()?[BundleID("beta")]?.id)
            let beta = try #require(await harness.emulator.store.connectionSpec(id: betaID))
            #expect(sentBody(beta).canonicalBytes == (try await harness.desiredBody("beta")).canonicalBytes)
            #expect(beta[JSONPointer("/sourceSpec/attributes/urlParams/path")] == .string("/3.0/lists/${listId}/segments"))
        }
    }

    @Test("a field removed from git is gone remotely: the PUT is a full replacement")
    func fullReplacement() async throws {
        try await EngineHarness.with(bundles: ["alpha"]) { harness in
            try harness.fixture.write(SampleBundle.spec(name: "alpha source", extra: "\n  \"attributes\": {\"uiAttributes\": {\"apiFeatures\": {\"explorePaginationSupported\": false}}},"),
                                      to: "Sources/alpha/Artifacts/alpha-connectionSpec.json")
            try harness.fixture.commitAll("with attributes")
            _ = try await harness.sync()
            let id = try #require(try harness.store.load()?[BundleID("alpha")]?.id)
            #expect(await harness.emulator.store.connectionSpec(id: id)?[JSONPointer("/attributes")] != nil)
            try harness.fixture.write(SampleBundle.spec(name: "alpha source"), to: "Sources/alpha/Artifacts/alpha-connectionSpec.json")
            try harness.fixture.commitAll("without attributes")
            let report = try await harness.sync()
            #expect(report.updated == [BundleID("alpha")])
            #expect(await harness.emulator.store.connectionSpec(id: id)?[JSONPointer("/attributes")] == nil)
        }
    }

    @Test("tokens expiring mid-run are renewed; the number of tokens follows time, not requests")
    func tokenExpiry() async throws {
        var configuration = EmulatorConfiguration()
        let lifetime = Duration.seconds(2)
        configuration.tokenLifetime = lifetime
        configuration.latency = .milliseconds(60)
        let bundles = (0..<40).map { "bundle-\($0)" }
        try await EngineHarness.with(bundles: bundles, configuration: configuration) { harness in
            let started = ContinuousClock.now
            let report = try await harness.sync(concurrency: 2)
            let elapsed = ContinuousClock.now - started
            #expect(report.isInSync, "\(report.failed.map(\.reason))")
            #expect(report.created.count == 40)
            let statistics = await harness.emulator.store.statistics()
            let requests = statistics.requests.values.reduce(0, +)
            // Bounds from the pass's own length, not from a machine's speed: one token per lifetime
            // that passed (and one more for a renewal ahead of expiry), never one per request.
            let lifetimes = Int((elapsed / lifetime).rounded(.up))
            #expect(statistics.tokensIssued <= lifetimes + 2, "\(statistics.tokensIssued) tokens in \(elapsed)")
            #expect(statistics.tokensIssued * 4 < requests, "\(statistics.tokensIssued) tokens for \(requests) requests")
            if elapsed > lifetime * 2 { #expect(statistics.tokensIssued >= 2, "a token outlived its lifetime: \(elapsed)") }
        }
    }

    @Test("429 and 5xx storms converge with one spec per bundle")
    func storms() async throws {
        var configuration = EmulatorConfiguration()
        configuration.faults.seed = 7
        configuration.faults.throttleRate = 0.2
        configuration.faults.retryAfterSeconds = 0
        configuration.faults.serverErrorRate = 0.25
        let bundles = (0..<20).map { "bundle-\($0)" }
        try await EngineHarness.with(bundles: bundles, configuration: configuration) { harness in
            let report = try await harness.syncUntilInSync(maxPasses: 5)
            #expect(report.isInSync, "\(report.failed.map(\.reason))")
            try await expectOneSpecPerBundle(harness, bundles)
            let statistics = await harness.emulator.store.statistics()
            #expect(statistics.requests.filter { $0.key.contains(" 429") || $0.key.contains(" 50") }.values.reduce(0, +) > 0,
                    "the storm really happened: \(statistics.requests)")
        }
    }

    @Test("lost POST answers never create duplicates")
    func lostAnswers() async throws {
        var configuration = EmulatorConfiguration()
        configuration.faults.seed = 3
        configuration.faults.dropRate = 0.4
        let bundles = (0..<12).map { "bundle-\($0)" }
        try await EngineHarness.with(bundles: bundles, configuration: configuration) { harness in
            let report = try await harness.syncUntilInSync(maxPasses: 6)
            #expect(report.isInSync, "\(report.failed.map(\.reason))")
            #expect(await harness.emulator.store.statistics().droppedAfterApplying > 0, "answers were really lost")
            try await expectOneSpecPerBundle(harness, bundles)
        }
    }

    @Test("a second run on the same state is refused while the first holds the lock")
    func concurrentRunRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/t.state.json"
        let first = try StateLock.acquire(forState: path)
        let refused = try #require(throws: StateLockError.self) { try StateLock.acquire(forState: path) }
        #expect(refused.message.contains("pid \(getpid())"))
        first.release()
        let again = try StateLock.acquire(forState: path)
        again.release()
    }

    /// Exactly one remote spec per bundle name, and the state's ids are those specs.
    func expectOneSpecPerBundle(_ harness: EngineHarness, _ bundles: [String]) async throws {
        let stored = await harness.emulator.store.connectionSpecs()
        let names = stored.compactMap { $0[JSONPointer("/name")]?.stringValue }
        #expect(names.count == bundles.count, "duplicates: \(names.sorted())")
        #expect(Set(names) == Set(bundles.map { "\($0) source" }))
        let state = try #require(try harness.store.load())
        for source in bundles {
            let record = try #require(state[BundleID(source)])
            #expect(record.lastError == nil)
            let remote = stored.first { $0[JSONPointer("/id")]?.stringValue == record.id }
            #expect(remote?[JSONPointer("/name")]?.stringValue == "\(source) source")
        }
    }
}

@Suite("Failure isolation and backoff", .serialized)
struct FailureBackoffTests {
    @Test("a failing bundle waits for its backoff while the others sync; a new commit of it is tried at once")
    func backoff() async throws {
        try await EngineHarness.with(bundles: ["good", "stuck"]) { harness in
            // Two remote specs already carry stuck's name: specsync refuses to guess which is its own.
            let client = try await harness.client()
            let stuckBody = try await harness.desiredBody("stuck")
            _ = try await client.create(stuckBody)
            _ = try await client.create(stuckBody)
            let backoff = FailureBackoff(base: .seconds(3600), maximum: .seconds(7200))

            let first = try await harness.sync(failureBackoff: backoff)
            #expect(first.created == [BundleID("good")])
            #expect(first.failed.map(\.bundle) == [BundleID("stuck")])
            #expect(first.failed.first?.reason.contains("2 remote connection specs are named 'stuck source'") == true)
            let record = try #require(try harness.store.load()?[BundleID("stuck")])
            #expect(record.consecutiveFailures == 1)
            #expect(record.failedBodyHash == stuckBody.hash)

            let lookups = await harness.emulator.store.statistics().total(method: "GET", kind: "connectionSpecs")
            let second = try await harness.sync(failureBackoff: backoff)
            #expect(second.deferred == [BundleID("stuck")])
            #expect(second.failed.isEmpty)
            #expect(!second.isInSync)
            #expect(await harness.emulator.store.statistics().total(method: "GET", kind: "connectionSpecs") == lookups,
                    "a deferred bundle sends nothing")
            let nextRetry = try #require(second.nextRetry)
            #expect(nextRetry.timeIntervalSinceNow > 3500)

            try harness.fixture.write(SampleBundle.spec(name: "stuck source", path: "/v2/stuck"), to: "Sources/stuck/Artifacts/stuck-connectionSpec.json")
            try harness.fixture.commitAll("new stuck body")
            let third = try await harness.sync(failureBackoff: backoff)
            #expect(third.deferred.isEmpty)
            #expect(third.failed.map(\.bundle) == [BundleID("stuck")], "the new body is tried at once")
            #expect(try harness.store.load()?[BundleID("stuck")]?.consecutiveFailures == 2)
        }
    }

    @Test("backoff doubles from its base up to its maximum")
    func schedule() {
        let backoff = FailureBackoff(base: .seconds(30), maximum: .seconds(300))
        #expect((0...6).map { backoff.delay(afterFailures: $0) } == [.zero, .seconds(30), .seconds(60), .seconds(120), .seconds(240), .seconds(300), .seconds(300)])
        var record = BundleRecord(lastError: "x", consecutiveFailures: 2)
        record.lastAttemptAt = Date(timeIntervalSince1970: 1000)
        #expect(backoff.nextAttempt(for: record) == Date(timeIntervalSince1970: 1060))
        record.lastError = nil
        #expect(backoff.nextAttempt(for: record) == nil)
    }
}
