#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif
import SpecSyncCore
import SpecSyncJSON

/// Everything the emulated sandbox holds: connection specs, flow specs, and what was seen. One actor,
/// so a write and the statistics about it can never disagree, and tests can look inside in-process.
public actor SpecStore {
    /// Who an out-of-band edit is attributed to: a person in the Platform UI.
    static let consoleActor = ServerFields.Actor(user: "console-user@AdobeID", client: "exc_app")
    static let adobeActor = ServerFields.Actor(clientID: "acp_foundation_connectors")

    let fields: ServerFields
    /// The server fields of Adobe's catalogue specs: another org, the same sandbox.
    let catalogueFields: ServerFields
    private let catalogueSize: Int
    private var stamper = TimestampStamper(unitsPerSecond: 1000)
    private var connectionSpecOrder: [String] = []
    private var connectionSpecsByID: [String: JSONValue] = [:]
    /// Ids by name, so that a `name==` lookup costs the same with 50,000 specs as with 5.
    private var connectionSpecIDsByName: [String: [String]] = [:]
    private var flowSpecOrder: [String] = []
    private var flowSpecsByID: [String: JSONValue] = [:]
    private var stats = EmulatorStatistics()
    /// Remote "address:port" of every connection seen, for `EmulatorStatistics.connections`.
    private var connectionsSeen: Set<String> = []
    private var inFlight = 0
    private let flxpointLimit: Int
    private var flxpointLimiter: FlxpointRateLimiter
    private let rateLimit: Int?
    private var rateLimiter: FlowServiceRateLimiter?
    private let clock = ContinuousClock()

    init(configuration: EmulatorConfiguration) {
        rateLimit = configuration.rateLimit
        rateLimiter = configuration.rateLimit.map { FlowServiceRateLimiter(requestsPerSecond: $0) }
        flxpointLimit = configuration.flxpointRequestsPerSecond
        flxpointLimiter = FlxpointRateLimiter(limit: configuration.flxpointRequestsPerSecond)
        fields = ServerFields(
            orgID: configuration.orgID, sandboxName: configuration.sandbox,
            sandboxID: "e0000000-5a4d-4b0c-8000-000000000001")
        catalogueFields = ServerFields(orgID: AdobeCatalogue.orgID, sandboxName: fields.sandboxName, sandboxID: fields.sandboxID)
        catalogueSize = max(0, configuration.catalogueSize)
        let seeded = Self.seeded(fields: fields, catalogueFields: catalogueFields, catalogueSize: catalogueSize, at: stamper.next())
        (flowSpecOrder, flowSpecsByID) = (seeded.flowSpecOrder, seeded.flowSpecsByID)
        (connectionSpecOrder, connectionSpecsByID, connectionSpecIDsByName) =
            (seeded.connectionSpecOrder, seeded.connectionSpecsByID, seeded.connectionSpecIDsByName)
    }

    /// A fresh sandbox: the seeded flow specs, and Adobe's catalogue (if configured) ahead of
    /// anything a client creates.
    private static func seeded(
        fields: ServerFields, catalogueFields: ServerFields, catalogueSize: Int, at now: Int64
    ) -> (flowSpecOrder: [String], flowSpecsByID: [String: JSONValue], connectionSpecOrder: [String],
          connectionSpecsByID: [String: JSONValue], connectionSpecIDsByName: [String: [String]]) {
        var flowSpecsByID: [String: JSONValue] = [:]
        for seed in SeedFlowSpec.all {
            flowSpecsByID[seed.id] = fields.stamp(
                seed.body, id: seed.id, created: (now, adobeActor), updated: (now, adobeActor), defaultPermissions: nil)
        }
        var order: [String] = []
        var byID: [String: JSONValue] = [:]
        var byName: [String: [String]] = [:]
        for index in 0..<catalogueSize {
            let id = AdobeCatalogue.id(at: index)
            order.append(id)
            byID[id] = catalogueFields.stamp(
                AdobeCatalogue.body(at: index), id: id, created: (now, AdobeCatalogue.actor), updated: (now, AdobeCatalogue.actor),
                defaultPermissions: ServerFields.connectionSpecPermissions)
            byName[AdobeCatalogue.name(at: index), default: []].append(id)
        }
        return (SeedFlowSpec.all.map(\.id), flowSpecsByID, order, byID, byName)
    }

    // MARK: Inspection

    /// All connection specs as stored (server fields included), in creation order.
    public func connectionSpecs() -> [JSONValue] {
        connectionSpecOrder.compactMap { connectionSpecsByID[$0] }
    }

    /// Connection specs whose `name` is exactly `name`; more than one means duplicates were created.
    public func connectionSpecs(named name: String) -> [JSONValue] {
        (connectionSpecIDsByName[name] ?? []).compactMap { connectionSpecsByID[$0] }
    }

    /// Stores `value` as the connection spec `id` (nil removes it), keeping the name index true.
    private func setConnectionSpec(_ id: String, _ value: JSONValue?) {
        if let oldName = connectionSpecsByID[id]?.objectValue?["name"]?.stringValue {
            connectionSpecIDsByName[oldName]?.removeAll { $0 == id }
            if connectionSpecIDsByName[oldName]?.isEmpty == true { connectionSpecIDsByName[oldName] = nil }
        }
        connectionSpecsByID[id] = value
        if let newName = value?.objectValue?["name"]?.stringValue { connectionSpecIDsByName[newName, default: []].append(id) }
    }

    public func connectionSpec(id: String) -> JSONValue? { connectionSpecsByID[id] }

    /// The specs of Adobe's catalogue, as seeded unless something managed to write to one.
    public func catalogueSpecs() -> [JSONValue] {
        connectionSpecOrder.compactMap { connectionSpecsByID[$0] }.filter { $0.objectValue?["imsOrgId"]?.stringValue == AdobeCatalogue.orgID }
    }

    public func flowSpecs() -> [JSONValue] {
        flowSpecOrder.compactMap { flowSpecsByID[$0] }
    }

    public func flowSpec(id: String) -> JSONValue? { flowSpecsByID[id] }

    public func statistics() -> EmulatorStatistics {
        var stats = stats
        stats.flxpointRequests = flxpointLimiter.requests
        stats.flxpointThrottled = flxpointLimiter.throttled
        stats.flxpointMaxRequestsInAnySecond = flxpointLimiter.busiestSecond
        stats.flxpointRequestSpanSeconds = flxpointLimiter.busiestSpan.seconds
        stats.rateLimited = rateLimiter?.refused ?? 0
        return stats
    }

    /// Back to a fresh sandbox: no connection specs but the catalogue, the seeded flow specs, zeroed statistics.
    /// Timestamps keep increasing, so nothing after a reset can collide with something before it.
    public func reset() {
        let seeded = Self.seeded(fields: fields, catalogueFields: catalogueFields, catalogueSize: catalogueSize, at: stamper.next())
        (flowSpecOrder, flowSpecsByID) = (seeded.flowSpecOrder, seeded.flowSpecsByID)
        (connectionSpecOrder, connectionSpecsByID, connectionSpecIDsByName) =
            (seeded.connectionSpecOrder, seeded.connectionSpecsByID, seeded.connectionSpecIDsByName)
        stats = EmulatorStatistics()
        connectionsSeen = []
        stats.maxConcurrentRequests = inFlight
        flxpointLimiter = FlxpointRateLimiter(limit: flxpointLimit)
        rateLimiter = rateLimit.map { FlowServiceRateLimiter(requestsPerSecond: $0) }
    }

    // MARK: Out-of-band changes

    /// Changes a stored spec as someone editing it in the Adobe console would: the value at
    /// `pointer` is set (nil removes it) and `updatedAt`/`updatedBy` move on. Returns the new spec.
    @discardableResult
    public func editOutOfBand(id: String, pointer: JSONPointer, value: JSONValue?) throws(SpecStoreError) -> JSONValue {
        guard let first = pointer.tokens.first else { throw .invalidPointer(pointer) }
        if ServerFields.owned.contains(first) { throw .serverOwnedField(first) }
        let isFlowSpec = flowSpecsByID[id] != nil
        guard let stored = connectionSpecsByID[id] ?? flowSpecsByID[id] else { throw .unknownSpec(id: id) }
        guard case .object(var edited)? = stored.replacing(at: pointer.tokens[...], with: value) else {
            throw .invalidPointer(pointer)
        }
        edited["updatedAt"] = .number(String(stamper.next()))
        edited["updatedBy"] = .string(Self.consoleActor.user)
        edited["updatedClient"] = .string(Self.consoleActor.client)
        if isFlowSpec { flowSpecsByID[id] = .object(edited) } else { setConnectionSpec(id, .object(edited)) }
        return .object(edited)
    }

    /// Creates a connection spec as another API client of the same org would (a colleague's
    /// integration, the console): its `createdClient` is `client`, not specsync's. Returns it.
    @discardableResult
    public func createOutOfBand(_ body: JSONObject, client: String) -> JSONValue {
        createConnectionSpec(body, by: ServerFields.Actor(clientID: client))
    }

    /// Removes a spec as if it had been deleted behind the client's back (there is no API for it).
    public func deleteOutOfBand(id: String) throws(SpecStoreError) {
        if connectionSpecsByID[id] != nil {
            setConnectionSpec(id, nil)
            connectionSpecOrder.removeAll { $0 == id }
        } else if flowSpecsByID.removeValue(forKey: id) != nil {
            flowSpecOrder.removeAll { $0 == id }
        } else {
            throw .unknownSpec(id: id)
        }
    }

    // MARK: Writes through the API

    func createConnectionSpec(_ body: JSONObject, by actor: ServerFields.Actor) -> JSONValue {
        let id = UUID().uuidString.lowercased()
        let now = stamper.next()
        let stored = fields.stamp(
            body, id: id, created: (now, actor), updated: (now, actor),
            defaultPermissions: ServerFields.connectionSpecPermissions)
        connectionSpecOrder.append(id)
        setConnectionSpec(id, stored)
        return stored
    }

    /// Full replacement: what the body omits is gone. Nil when there is no such spec.
    func replaceConnectionSpec(id: String, with body: JSONObject, by actor: ServerFields.Actor) -> JSONValue? {
        guard let previous = connectionSpecsByID[id] else { return nil }
        let stored = fields.stamp(
            body, id: id, created: ServerFields.creation(of: previous), updated: (stamper.next(), actor),
            defaultPermissions: ServerFields.connectionSpecPermissions)
        setConnectionSpec(id, stored)
        return stored
    }

    func replaceFlowSpec(id: String, with body: JSONObject, by actor: ServerFields.Actor) -> JSONValue? {
        guard let previous = flowSpecsByID[id] else { return nil }
        let stored = fields.stamp(
            body, id: id, created: ServerFields.creation(of: previous), updated: (stamper.next(), actor),
            defaultPermissions: nil)
        flowSpecsByID[id] = stored
        return stored
    }

    // MARK: Statistics

    /// A Flow Service request arrived: count it in flight and in its second.
    func flowServiceRequestStarted() {
        inFlight += 1
        stats.maxConcurrentRequests = max(stats.maxConcurrentRequests, inFlight)
        let second = Int64((Date().timeIntervalSince1970).rounded(.down))
        if let last = stats.requestStartsPerSecond.indices.last, stats.requestStartsPerSecond[last].second == second {
            stats.requestStartsPerSecond[last].count += 1
        } else if let index = stats.requestStartsPerSecond.firstIndex(where: { $0.second == second }) {
            stats.requestStartsPerSecond[index].count += 1
        } else {
            stats.requestStartsPerSecond.append(.init(second: second, count: 1))
            stats.requestStartsPerSecond.sort { $0.second < $1.second }
        }
    }

    /// A Flxpoint request arrived with `token` (empty when none was sent): recorded, then let
    /// through (nil) or refused with the `Retry-After` seconds to answer.
    func flxpointRequestArrived(token: String) -> Int? {
        flxpointLimiter.arrive(token: token, at: clock.now)
    }

    /// A Flow Service request reached the rate limit: let through (nil, also when there is no
    /// limit) or refused with the `Retry-After` seconds to answer.
    func flowServiceRequestArrived() -> Int? {
        rateLimiter?.arrive(at: clock.now)
    }

    func flowServiceRequestFinished() {
        inFlight = max(inFlight - 1, 0)
        stats.lastFlowServiceAnswerAt = Date().timeIntervalSince1970
    }

    /// Counts one answered (or dropped) request under "METHOD kind STATUS".
    func record(method: String, kind: String, status: Int, isWrite: Bool, dropped: Bool) {
        stats.requests["\(method) \(kind) \(status)", default: 0] += 1
        if isWrite { stats.writes += 1 }
        if dropped {
            stats.droppedAfterApplying += 1
            if isWrite { stats.droppedWrites += 1 }
        }
    }

    /// Counts a request's protocol, and its connection the first time one of its requests is seen.
    func recordTransport(httpVersion: String, remote: String?) {
        stats.requestsByHTTPVersion[httpVersion, default: 0] += 1
        if let remote, connectionsSeen.insert(remote).inserted { stats.connections += 1 }
    }

    func recordTokenIssued() {
        stats.tokensIssued += 1
    }
}
