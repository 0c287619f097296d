import SpecSyncCore

/// A remote API whose resources are replaced whole by PUT: what the sync engine writes to. Flow
/// Service connection specs, Flxpoint connections and Versori connections all implement it; the
/// bundle is passed along because some APIs scope a resource by it (a Versori connector).
public protocol SyncTarget: Sendable {
    /// How hard the API may be driven.
    var ratePolicy: RatePolicy { get }
    /// Creates a resource. Not idempotent: when the answer is lost this throws
    /// `RequestError.outcomeUnknown` and the caller must look before trying again.
    func create(_ body: ReplacementBody) async throws -> RemoteSpec
    /// Replaces the resource `id` with `body` entirely.
    func replace(id: String, with body: ReplacementBody) async throws -> RemoteSpec
    /// The resource `id`, or nil when it does not exist.
    func read(id: String, bundle: BundleID) async throws -> RemoteSpec?
    /// Every resource with exactly this name, where `bundle` would live.
    func find(name: String, bundle: BundleID) async throws -> [RemoteSpec]
    /// Every resource where `bundles` live, read in as few requests as the API allows, so that many
    /// revisions are checked and names looked up at the cost of one listing instead of a GET each;
    /// a name in it must mean what `find(name:bundle:)` would find. Nil when the API has no such
    /// listing.
    func list(bundles: [BundleID]) async throws -> [RemoteSpec]?
    /// The client and org specsync writes as, where the API records who created a resource, so
    /// that `SpecOwnership` can tell a foreign one; nil where it does not (everything is ours).
    var owner: SpecOwner? { get }
}

extension SyncTarget {
    public func list(bundles: [BundleID]) async throws -> [RemoteSpec]? { nil }
    public var owner: SpecOwner? { nil }
}

/// How hard a target may be driven. A limit on the request rate is the client's own business (its
/// pacer); the engine needs to know how many requests to keep in flight.
public struct RatePolicy: Sendable, Equatable {
    /// More than this in flight only queues in the client.
    public var maxConcurrency: Int
    /// From this many lookups on, one listing answers them all instead of a request each: a
    /// listing costs more than one read, less than many (a paced API: less than two).
    public var listingThreshold: Int
    /// About how many resources one round trip of a listing reads (a page), when the listing pages:
    /// a listing of many recorded resources then costs more round trips than a few reads side by
    /// side, and the engine reads those few on their own. Nil: one listing is one request.
    public var listingItemsPerRequest: Int?
    /// How many reads a pass can count on side by side when it prices reads against a listing,
    /// when that is not `maxConcurrency`: an adaptive limiter's starting window (it may grow, but a
    /// pass cannot know, and a listing is also fewer requests against a server that throttles).
    public var pricedConcurrency: Int?

    public init(maxConcurrency: Int = 64, listingThreshold: Int = 10, listingItemsPerRequest: Int? = nil, pricedConcurrency: Int? = nil) {
        self.maxConcurrency = maxConcurrency
        self.listingThreshold = listingThreshold
        self.listingItemsPerRequest = listingItemsPerRequest
        self.pricedConcurrency = pricedConcurrency
    }
}

/// Deleting resources, where the API has it (prune). Flow Service documents no DELETE for
/// connection specs; Versori has one for connections.
public protocol SpecDeleting: Sendable {
    func delete(id: String, bundle: BundleID) async throws
}

/// Flow Service's flow specs list the connection specs they accept (`sourceConnectionSpecIds`): a new
/// batch source must be added to one before flows can use it.
public protocol FlowSpecRegistering: Sendable {
    /// Adds `specIDs` to the flow spec in one update (GET, add those absent, PUT the whole flow spec
    /// back without server-owned fields, GET again to verify). Returns the ids it had to add.
    func register(specIDs: [String], inFlowSpec flowSpecID: String) async throws -> [String]
}
