import SpecSyncJSON
/// What a pass would do with one bundle.
public struct PlannedChange: Sendable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        /// No remote spec is recorded: POST (after a lookup by name).
        case create
        /// The desired body differs from what was last sent: PUT the full body.
        case update
        case unchanged
        /// Recorded in the state, gone from git. Never touched without prune.
        case orphan
        /// The bundle has errors and is not sent; the remote keeps what it has.
        case invalid
    }

    public let bundle: BundleID
    public let action: Action
    public let name: String?
    public let remoteID: String?
    /// Set when the bundle's folder was renamed: the state record moves with it.
    public let renamedFrom: BundleID?
    public let desiredHash: String?
    public let recordedHash: String?
    /// Field-level differences from the last sent body, when it can be recomputed; for a create,
    /// every field of the new body, worked out when asked for so that a plan of thousands of
    /// creates does not hold thousands of parsed bodies.
    public var differences: [JSONDifference]? {
        if let createdBody { return JSONDifference.between(.object(JSONObject()), createdBody.value) }
        return storedDifferences
    }
    /// For a create, how many top-level fields the new body has: its differences' count, known
    /// without reading the body back.
    public var createdFieldCount: Int? { createdBody?.fieldCount }
    private let storedDifferences: [JSONDifference]?
    private let createdBody: ReplacementBody?
    public let diagnostics: [Diagnostic]
    /// Where the body holds secrets: shown as "(sensitive)".
    public let sensitivePointers: Set<JSONPointer>

    public init(
        bundle: BundleID, action: Action, name: String? = nil, remoteID: String? = nil,
        renamedFrom: BundleID? = nil, desiredHash: String? = nil, recordedHash: String? = nil,
        differences: [JSONDifference]? = nil, createdBody: ReplacementBody? = nil, diagnostics: [Diagnostic] = [],
        sensitivePointers: Set<JSONPointer> = []
    ) {
        self.bundle = bundle
        self.action = action
        self.name = name
        self.remoteID = remoteID
        self.renamedFrom = renamedFrom
        self.desiredHash = desiredHash
        self.recordedHash = recordedHash
        self.storedDifferences = differences
        self.createdBody = createdBody
        self.diagnostics = diagnostics
        self.sensitivePointers = sensitivePointers
    }

    /// The differences with every secret replaced by "(sensitive)".
    public var displayedDifferences: [JSONDifference]? {
        differences?.map { difference in
            func mask(_ value: JSONValue) -> JSONValue { value.masking(sensitivePointers, at: difference.pointer) }
            let change: JSONDifference.Change = switch difference.change {
            case .added(let value): .added(mask(value))
            case .removed(let value): .removed(mask(value))
            case .changed(let old, let new): .changed(from: mask(old), to: mask(new))
            }
            return JSONDifference(pointer: difference.pointer, change: change)
        }
    }
}
