import SpecSyncCore
import SpecSyncJSON

/// What `specsync verify` found for one bundle: each step of the chain in order, and whether
/// everything it created was deleted again.
public struct VerificationReport: Sendable {
    public struct Step: Sendable {
        public var name: String
        public var passed: Bool
        public var detail: String

        public init(name: String, passed: Bool, detail: String) {
            self.name = name
            self.passed = passed
            self.detail = detail
        }
    }

    public let bundle: BundleID
    public var steps: [Step] = []
    /// Resources that could not be deleted (still in the ledger for the next run).
    public var leftovers: [String] = []

    public init(bundle: BundleID) { self.bundle = bundle }

    public var passed: Bool { !steps.isEmpty && steps.allSatisfy(\.passed) && leftovers.isEmpty }

    mutating func pass(_ name: String, _ detail: String) { steps.append(Step(name: name, passed: true, detail: detail)) }
    mutating func fail(_ name: String, _ detail: String) { steps.append(Step(name: name, passed: false, detail: detail)) }

    public var json: JSONValue {
        .object(JSONObject([
            "bundle": .string(bundle.source),
            "passed": .bool(passed),
            "steps": .array(steps.map { .object(JSONObject(["step": .string($0.name), "passed": .bool($0.passed), "detail": .string($0.detail)])) }),
            "leftovers": .array(leftovers.map(JSONValue.string)),
        ]))
    }
}
