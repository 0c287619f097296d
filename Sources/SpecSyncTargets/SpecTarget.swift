/// A remote API whose specs are replaced whole by PUT: what the sync engine writes to.
public protocol SpecTarget: Sendable {
    /// Creates a spec. Not idempotent: when the answer is lost this throws
    /// `FlowServiceError.outcomeUnknown` and the caller must look before trying again.
    func create(body: [UInt8]) async throws -> RemoteSpec
    /// Replaces the spec `id` with `body` entirely.
    func replace(id: String, body: [UInt8]) async throws -> RemoteSpec
    /// The spec `id`, or nil when it does not exist.
    func read(id: String) async throws -> RemoteSpec?
    /// Every spec with exactly this name.
    func find(name: String) async throws -> [RemoteSpec]
}

extension FlowServiceClient: SpecTarget {
    public func create(body: [UInt8]) async throws -> RemoteSpec { try await createConnectionSpec(body) }
    public func replace(id: String, body: [UInt8]) async throws -> RemoteSpec { try await replaceConnectionSpec(id: id, body: body) }
    public func read(id: String) async throws -> RemoteSpec? { try await connectionSpec(id: id) }
    public func find(name: String) async throws -> [RemoteSpec] { try await connectionSpecs(named: name) }
}

/// Deleting specs, where the API has it (prune). Flow Service documents no DELETE for connection specs.
public protocol SpecDeleting: Sendable {
    func delete(id: String) async throws
}

/// Flow Service's flow specs list the connection specs they accept (`sourceConnectionSpecIds`): a new
/// batch source must be added to one before flows can use it.
public protocol FlowSpecRegistering: Sendable {
    /// Adds `specID` to the flow spec (GET, add if absent, PUT the whole flow spec back without
    /// server-owned fields, GET again to verify). Returns true when it had to be added.
    func register(specID: String, inFlowSpec flowSpecID: String) async throws -> Bool
}
