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
}

/// How hard a target may be driven: requests in flight at once, and the request rate it allows.
public struct RatePolicy: Sendable, Equatable {
    /// More than this in flight only queues in the client.
    public var maxConcurrency: Int
    /// The API's limit, when it has one: at most `requests` in any `window`.
    public var limit: (requests: Int, window: Duration)?

    public init(maxConcurrency: Int = 64, limit: (requests: Int, window: Duration)? = nil) {
        self.maxConcurrency = maxConcurrency
        self.limit = limit
    }

    public static func == (lhs: RatePolicy, rhs: RatePolicy) -> Bool {
        lhs.maxConcurrency == rhs.maxConcurrency && lhs.limit?.requests == rhs.limit?.requests && lhs.limit?.window == rhs.limit?.window
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
    /// Adds `specID` to the flow spec (GET, add if absent, PUT the whole flow spec back without
    /// server-owned fields, GET again to verify). Returns true when it had to be added.
    func register(specID: String, inFlowSpec flowSpecID: String) async throws -> Bool
}
