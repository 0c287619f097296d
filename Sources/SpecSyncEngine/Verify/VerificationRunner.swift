#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncCore
import SpecSyncTargets
import SpecSyncJSON

/// Runs the Self-Serve Sources verification chain for a synced spec: a base connection with test
/// credentials, its test, explore, optionally a source connection and a one-off dataflow whose
/// run is awaited; then deletes everything it created. Every creation is in the ledger before
/// it is sent, so a run killed half way is cleaned up by `cleanUpLeftovers()` of the next.
public struct VerificationRunner: Sendable {
    let api: any FlowVerifying
    let ledger: VerificationLedger
    let settings: VerifySettings
    let flowSpecs: FlowSpecAssignment
    let lookup: SecretLookup
    let logger: Logger
    /// Between two reads of a dataflow's run.
    let pollInterval: Duration

    public init(
        api: any FlowVerifying, ledger: VerificationLedger, settings: VerifySettings, flowSpecs: FlowSpecAssignment,
        lookup: SecretLookup, logger: Logger, pollInterval: Duration = .milliseconds(500)
    ) {
        self.api = api
        self.ledger = ledger
        self.settings = settings
        self.flowSpecs = flowSpecs
        self.lookup = lookup
        self.logger = logger
        self.pollInterval = pollInterval
    }

    /// Deletes what an earlier run left (newest first, so flows go before their connections):
    /// by id, or by name when the run died before the id came back. The lines say what went.
    public func cleanUpLeftovers() async throws -> [String] {
        var lines: [String] = []
        for entry in await ledger.entries.reversed() {
            let ids = if let id = entry.id { [id] } else { try await api.resourceIDs(entry.collection, named: entry.name) }
            for id in ids where try await api.deleteResource(entry.collection, id: id) {
                lines.append("deleted \(Self.singular(entry.collection)) \(id) (\(entry.name)) left by an earlier run")
            }
            try await ledger.removed(name: entry.name)
        }
        if !lines.isEmpty { logger.info("verification leftovers deleted", metadata: ["count": "\(lines.count)"]) }
        return lines
    }

    /// What `sync --once` verifies after its pass under `verify.afterSync`: the bundles it created
    /// or updated that have a `verify.bundles` entry.
    public static func bundlesAfterSync(_ report: SyncReport, settings: VerifySettings) -> [BundleID] {
        guard settings.afterSync else { return [] }
        return (report.created + report.updated).filter { settings.bundles[$0.source] != nil }.sorted()
    }

    /// The chain for `bundle`, whose spec has `specID` in Flow Service.
    public func verify(bundle: BundleID, specID: String) async -> VerificationReport {
        var report = VerificationReport(bundle: bundle)
        guard let test = settings.bundles[bundle.source] else {
            report.fail("settings", "no verify.bundles.\(bundle.source) entry in the target's configuration: add its test connection (authSpec, auth, params)")
            return report
        }
        let run = "specsync-verify-\(bundle.source)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        var created: [(collection: String, name: String, id: String)] = []
        await chain(bundle: bundle, specID: specID, test: test, run: run, created: &created, report: &report)
        for resource in created.reversed() {
            do {
                _ = try await api.deleteResource(resource.collection, id: resource.id)
                try await ledger.removed(name: resource.name)
            } catch {
                report.leftovers.append("\(Self.singular(resource.collection)) \(resource.id): \(Self.describe(error))")
            }
        }
        if report.leftovers.isEmpty {
            report.pass("clean-up", created.isEmpty ? "nothing was created" : "deleted \(created.map { "\(Self.singular($0.collection)) \($0.id)" }.joined(separator: ", "))")
        } else {
            report.fail("clean-up", "not deleted: \(report.leftovers.joined(separator: "; ")); the next verify deletes them")
        }
        return report
    }

    private func chain(
        bundle: BundleID, specID: String, test: VerifySettings.Bundle, run: String,
        created: inout [(collection: String, name: String, id: String)], report: inout VerificationReport
    ) async {
        let spec: RemoteSpec
        do {
            guard let found = try await api.connectionSpec(id: specID) else {
                report.fail("connection spec", "connection spec \(specID) is not in Flow Service: run specsync sync first")
                return
            }
            spec = found
        } catch {
            report.fail("connection spec", "GET /connectionSpecs/\(specID) failed: \(Self.describe(error))")
            return
        }
        let authSpecs = spec.document[JSONPointer("/authSpec")]?.arrayValue?.compactMap { $0[JSONPointer("/name")]?.stringValue } ?? []
        guard let authSpec = test.authSpec ?? authSpecs.first else {
            report.fail("base connection", "the spec has no authSpec entry to connect with")
            return
        }
        let (auth, unresolvedAuth) = VerifySettings.Bundle.resolve(test.auth, section: "verify.bundles.\(bundle.source).auth", lookup: lookup)
        let (params, unresolvedParams) = VerifySettings.Bundle.resolve(test.params, section: "verify.bundles.\(bundle.source).params", lookup: lookup)
        if let missing = (unresolvedAuth + unresolvedParams).first {
            report.fail("settings", "\(missing) is not defined: set that variable or put that file in $CREDENTIALS_DIRECTORY")
            return
        }
        let version = spec.document[JSONPointer("/version")]?.stringValue ?? "1.0"
        let specReference = JSONValue.object(JSONObject(["id": .string(specID), "version": .string(version)]))

        // Base connection, then its test.
        let connectionName = "\(run)-connection"
        let connectionBody = JSONValue.object(JSONObject([
            "name": .string(connectionName), "description": .string("specsync verify of \(bundle.source); deleted when the check ends"),
            "auth": .object(JSONObject(["specName": .string(authSpec), "params": .object(auth)])),
            "connectionSpec": specReference,
        ]))
        guard let connection = await create("connections", name: connectionName, body: connectionBody, bundle: bundle, created: &created, report: &report) else { return }
        report.pass("base connection", "created \(connection) with auth '\(authSpec)'")
        do {
            try await api.testConnection(id: connection)
            report.pass("test", "GET /connections/\(connection)/test passed")
        } catch {
            report.fail("test", "the connection test failed: \(Self.describe(error))")
            return
        }
        do {
            let records = try await api.explore(connectionID: connection, sourceParams: .object(params))
            report.pass("explore", "explore returned \(records.count) record\(records.count == 1 ? "" : "s")")
        } catch {
            report.fail("explore", "explore failed: \(Self.describe(error))")
            return
        }
        guard settings.dataflow else { return }

        // A source connection and a one-off dataflow, whose run is awaited.
        let sourceName = "\(run)-source"
        let sourceBody = JSONValue.object(JSONObject([
            "name": .string(sourceName), "baseConnectionId": .string(connection),
            "connectionSpec": specReference, "data": .object(JSONObject(["format": .string("json")])), "params": .object(params),
        ]))
        guard let source = await create("sourceConnections", name: sourceName, body: sourceBody, bundle: bundle, created: &created, report: &report) else { return }
        let streaming = StreamingSpec.isStreaming(spec.document)
        guard let flowSpec = flowSpecs.flowSpec(for: bundle, streaming: streaming) else {
            report.fail("dataflow", "no flow spec is assigned to \(bundle.source) (flowService.flowSpecId is off): a dataflow needs one")
            return
        }
        let flowName = "\(run)-flow"
        let flowBody = JSONValue.object(JSONObject([
            "name": .string(flowName), "flowSpec": .object(JSONObject(["id": .string(flowSpec), "version": .string("1.0")])),
            "sourceConnectionIds": .array([.string(source)]), "targetConnectionIds": .array([]),
            "scheduleParams": .object(JSONObject(["frequency": .string("once"), "startTime": .number(String(Int(Date().timeIntervalSince1970)))])),
        ]))
        guard let flow = await create("flows", name: flowName, body: flowBody, bundle: bundle, created: &created, report: &report) else { return }
        report.pass("dataflow", "created source connection \(source) and one-off flow \(flow) in flow spec \(flowSpec)")
        await awaitRun(flow: flow, report: &report)
    }

    private func awaitRun(flow: String, report: inout VerificationReport) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: settings.runTimeout)
        while true {
            do {
                if let run = try await api.runs(flowID: flow).last {
                    let status = run[JSONPointer("/metrics/statusSummary/status")]?.stringValue ?? "unknown"
                    let records = run[JSONPointer("/metrics/statusSummary/recordSummary/outputRecordCount")]?.displayText ?? "?"
                    switch status {
                    case "success":
                        report.pass("run", "run \(run[JSONPointer("/id")]?.displayText ?? "") succeeded with \(records) records")
                        return
                    case "failed":
                        let messages = run[JSONPointer("/errors")]?.arrayValue?.compactMap { $0[JSONPointer("/message")]?.stringValue } ?? []
                        report.fail("run", "run \(run[JSONPointer("/id")]?.displayText ?? "") failed: \(messages.isEmpty ? "no reason given" : messages.joined(separator: "; "))")
                        return
                    default: break
                    }
                }
            } catch {
                report.fail("run", "reading the runs of flow \(flow) failed: \(Self.describe(error))")
                return
            }
            guard clock.now < deadline else {
                report.fail("run", "the run of flow \(flow) did not finish within \(settings.runTimeout) (verify.runTimeout)")
                return
            }
            do { try await clock.sleep(for: pollInterval) } catch { return }
        }
    }

    /// Ledger first, then the POST, then the id into the ledger.
    private func create(
        _ collection: String, name: String, body: JSONValue, bundle: BundleID,
        created: inout [(collection: String, name: String, id: String)], report: inout VerificationReport
    ) async -> String? {
        let step = Self.singular(collection)
        do {
            try await ledger.intend(collection, name: name, bundle: bundle.source)
        } catch {
            report.fail(step, Self.describe(error))
            return nil
        }
        do {
            let id = try await api.createResource(collection, body: body)
            created.append((collection, name, id))
            try await ledger.created(name: name, id: id)
            return id
        } catch {
            report.fail(step, "POST /\(collection) failed: \(Self.describe(error))")
            // Nothing to delete by id; the ledger keeps the name in case the POST did land.
            return nil
        }
    }

    static func singular(_ collection: String) -> String {
        switch collection {
        case "connections": "base connection"
        case "sourceConnections": "source connection"
        case "flows": "flow"
        default: collection
        }
    }

    public static func describe(_ error: any Error) -> String { SyncEngine.describe(error) }
}
