import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// plan's decisions are sync's for the connection targets too: Flxpoint (no DELETE, content
/// revisions, a paced API) and Versori (DELETE, updatedAt), on the example connections.
@Suite("plan's decisions are sync's: Flxpoint and Versori", .serialized)
struct ConnectionDecisionTableTests {
    func decisions(_ result: ProcessResult, key: String) -> [String: String] { DecisionMap.read(result.stdout, key: key) }

    /// plan, then sync: both decision maps must be `expected`.
    func expectSame(_ expected: [String: String], _ specsync: ([String]) async throws -> ProcessResult) async throws {
        let plan = try await specsync(["plan", "--format", "json"])
        #expect(decisions(plan, key: "changes") == expected, "\(plan.stdout)\(plan.stderr)")
        let sync = try await specsync(["sync", "--once", "--format", "json"])
        #expect(decisions(sync, key: "decisions") == expected, "\(sync.stdout)\(sync.stderr)")
    }

    func edit(_ fixture: GitFixture, _ path: String, _ change: (String) -> String) throws {
        let text = try String(contentsOf: fixture.url.appendingPathComponent(path), encoding: .utf8)
        try fixture.write(change(text), to: path)
    }

    func enablePrune(_ fixture: GitFixture, config: String) throws {
        try edit(fixture, config) { $0.replacingOccurrences(of: "prune:\n      enabled: false", with: "prune:\n      enabled: true") }
    }

    @Test("Flxpoint: update, conflict, orphan, then prune marks (no DELETE), with one listing for plan as for sync")
    func flxpoint() async throws {
        try await withFlowServiceEmulator { emulator in
            let (fixture, credentials) = try ConnectionExamples.repository(credentials: ["flxpoint-token": FlxpointTargetTests.token])
            defer { fixture.cleanUp(); credentials.remove() }
            let environment = ["SPECSYNC_TARGETS_FLXPOINT_FLXPOINT_BASE_URL": try await emulator.flxpointURL]
            let specsync = { (arguments: [String]) in
                try await ConnectionExamples.run(arguments + ["--config", "flxpoint.yaml"], in: fixture, credentials: credentials, environment: environment)
            }
            #expect(try await specsync(["sync", "--once"]).status == 0)
            try await expectSame([:], specsync)

            let shopify = try #require(await emulator.flxpointStore.connections(named: "Shopify EU storefront").first)
            try await emulator.flxpointStore.editOutOfBand(id: shopify.id, handle: "syncInventory", value: "false")
            try edit(fixture, "Connections/flxpoint/shopify-eu.json") { $0.replacingOccurrences(of: "acme-eu.myshopify.com", with: "acme-europe.myshopify.com") }
            try edit(fixture, "Connections/flxpoint/acme-warehouse.json") { $0.replacingOccurrences(of: "\"21\"", with: "\"990\"") }
            try fixture.commitAll("edit both")
            let before = await emulator.store.statistics().flxpointRequests
            let plan = try await specsync(["plan", "--format", "json"])
            #expect(decisions(plan, key: "changes") == ["acme-warehouse": "update", "shopify-eu": "conflict"], "\(plan.stdout)\(plan.stderr)")
            #expect(await emulator.store.statistics().flxpointRequests - before == 1, "plan reads one listing, as sync does, not a GET per connection")
            let sync = try await specsync(["sync", "--once", "--format", "json"])
            #expect(decisions(sync, key: "decisions") == ["acme-warehouse": "update", "shopify-eu": "conflict"], "\(sync.stdout)\(sync.stderr)")

            try fixture.git("rm", "-q", "Connections/flxpoint/acme-warehouse.json")
            try fixture.commitAll("remove the warehouse feed")
            try await expectSame(["acme-warehouse": "orphan", "shopify-eu": "conflict"], specsync)
            try enablePrune(fixture, config: "flxpoint.yaml")
            try await expectSame(["acme-warehouse": "prune", "shopify-eu": "conflict"], specsync)
            #expect(await emulator.flxpointStore.connections(named: "ACME warehouse inventory feed").count == 1, "Flxpoint cannot delete: marked only")
        }
    }

    @Test("Versori: update, conflict, orphan, then prune deletes")
    func versori() async throws {
        try await withFlowServiceEmulator { emulator in
            let (fixture, credentials) = try ConnectionExamples.repository(credentials: ["versori-api-key": VersoriTargetTests.key])
            defer { fixture.cleanUp(); credentials.remove() }
            let environment = [
                "SPECSYNC_TARGETS_VERSORI_VERSORI_BASE_URL": try await emulator.versoriURL,
                "SPECSYNC_TARGETS_VERSORI_VERSORI_ORGANISATION": emulator.configuration.versoriOrganisation,
            ]
            let specsync = { (arguments: [String]) in
                try await ConnectionExamples.run(arguments + ["--config", "versori.yaml"], in: fixture, credentials: credentials, environment: environment)
            }
            #expect(try await specsync(["sync", "--once"]).status == 0)
            let store = try #require(await emulator.versoriStore.connection(connector: "shopify", named: "eu-store"))
            try await emulator.versoriStore.editOutOfBand(connector: "shopify", id: store.id, variable: "currency", value: "GBP")
            try edit(fixture, "Connections/versori/shopify/eu-store.json") { $0.replacingOccurrences(of: "acme-eu", with: "acme-europe") }
            try edit(fixture, "Connections/versori/netsuite/production.json") { $0 + "\n" }
            try fixture.commitAll("edit the store")
            try await expectSame(["shopify/eu-store": "conflict"], specsync)

            try fixture.git("rm", "-q", "Connections/versori/netsuite/production.json")
            try fixture.commitAll("remove netsuite")
            try await expectSame(["netsuite/production": "orphan", "shopify/eu-store": "conflict"], specsync)
            try enablePrune(fixture, config: "versori.yaml")
            try await expectSame(["netsuite/production": "prune", "shopify/eu-store": "conflict"], specsync)
            #expect(await emulator.versoriStore.connection(connector: "netsuite", named: "production") == nil, "Versori deletes")
        }
    }
}
