import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing
import SpecSyncJSON

/// The daemon's notifications: drift and quarantine from its drift check, each told once, and every
/// notification counted in `/metrics`, a dead receiver's as failed.
@Suite("specsync sync (service): notifications", .serialized)
struct DaemonNotificationTests {
    /// A daemon over two bundles with drift checks every 300 ms under `policy` and `notifications` appended.
    static func withDaemon(policy: String, notifications: String, _ body: (DaemonHarness) async throws -> Void) async throws {
        try await DaemonHarness.withLocalRepository(configuration: { emulator, fixture, port in
            try await DaemonHarness.configuration(
                emulator: emulator, repository: "  path: \(fixture.path)", httpPort: port,
                drift: "  drift:\n    interval: 300ms\n    policy: \(policy)\n    maxHeals: 1") + notifications
        }) { harness in
            try await harness.waitUntil("the first pass") { await harness.isReady() }
            try await body(harness)
        }
    }

    static func occurrences(of text: String, in log: String) -> Int { log.components(separatedBy: text).count - 1 }

    @Test("drift under warn is seen at every check and told once; /metrics counts the notification as sent")
    func driftOnce() async throws {
        let receiver = try NotificationReceiverServer(mode: .ok)
        defer { receiver.stop() }
        try await Self.withDaemon(policy: "warn", notifications: """
            notifications:
              hooks:
                type: webhook
                url: \(receiver.baseURL)/hooks
                events: [drift]

            """) { harness in
            let id = try #require(await harness.emulator.store.connectionSpecs(named: "alpha source").first?[JSONPointer("/id")]?.stringValue)
            _ = try await harness.emulator.store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: .string("edited in the console"))
            try await harness.waitUntil("the drift notification") { Self.items(receiver, "drift").count >= 1 }
            let seen = Self.occurrences(of: "spec changed outside git", in: harness.log)
            try await harness.waitUntil("three more drift checks that see it") {
                Self.occurrences(of: "spec changed outside git", in: harness.log) >= seen + 3
            }
            let drift = Self.items(receiver, "drift")
            #expect(drift.count == 1, "told once, not at every check: \(receiver.requests.map(\.text))")
            #expect(drift.first?["bundle"] as? String == "alpha")
            #expect((drift.first?["reason"] as? String)?.contains("changed outside git") == true)
            try await harness.waitUntil("the notification in /metrics") {
                try PrometheusExposition(try await harness.get("/metrics").body)
                    .value("specsync_notifications_total", ["receiver": "hooks", "outcome": "sent"]) == 1
            }
            #expect(!harness.log.contains(DaemonHarness.secret))
        }
    }

    @Test("a quarantine is told once; a receiver that never answers is counted as failed after its timeout and delays no pass")
    func quarantine() async throws {
        let receiver = try NotificationReceiverServer(mode: .ok)
        defer { receiver.stop() }
        let dead = try NotificationReceiverServer(mode: .silent)
        defer { dead.stop() }
        try await Self.withDaemon(policy: "heal", notifications: """
            notifications:
              hooks:
                type: webhook
                url: \(receiver.baseURL)/hooks
                events: [quarantine]
              dead:
                type: webhook
                url: \(dead.baseURL)/hooks
                events: [quarantine]
                timeout: 1s
                retries: 0

            """) { harness in
            let store = harness.emulator.store
            let id = try #require(await store.connectionSpecs(named: "alpha source").first?[JSONPointer("/id")]?.stringValue)
            _ = try await store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: .string("the other writer, 1"))
            try await harness.waitUntil("the heal") {
                await store.connectionSpec(id: id)?[JSONPointer("/description")] == .string("alpha source through generic REST")
            }
            _ = try await store.editOutOfBand(id: id, pointer: JSONPointer("/description"), value: .string("the other writer, 2"))
            try await harness.waitUntil("the quarantine notification") { Self.items(receiver, "quarantine").count >= 1 }
            try await harness.waitUntil("the dead receiver's failure in /metrics") {
                try PrometheusExposition(try await harness.get("/metrics").body)
                    .value("specsync_notifications_total", ["receiver": "dead", "outcome": "failed"]) == 1
            }
            // With a quarantined bundle a pass is partial; the drift checks go on starting them.
            func passes() async throws -> Double {
                let samples = try PrometheusExposition(try await harness.get("/metrics").body)
                return (samples.value("specsync_passes_total", ["result": "success"]) ?? 0) + (samples.value("specsync_passes_total", ["result": "partial"]) ?? 0)
            }
            let before = try await passes()
            try await harness.waitUntil("passes going on") { try await passes() > before + 1 }
            let quarantine = Self.items(receiver, "quarantine")
            #expect(quarantine.count == 1, "\(receiver.requests.map(\.text))")
            #expect(quarantine.first?["bundle"] as? String == "alpha")
            #expect(dead.requests.count == 1, "retries: 0")
        }
    }

    /// Every item of `event` the receiver got, across its requests.
    static func items(_ receiver: NotificationReceiverServer, _ event: String) -> [[String: Any]] {
        receiver.requests.flatMap { request -> [[String: Any]] in
            let payload = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]
            return ((payload?["items"] as? [[String: Any]]) ?? []).filter { $0["event"] as? String == event }
        }
    }
}
