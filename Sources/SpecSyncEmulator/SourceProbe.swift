import SpecSyncCore
import SpecSyncJSON

/// The seam through which the emulator's verification endpoints run a connection spec against the
/// third-party API it describes: `RuntimeSourceProbe`, over the source runtime of `specsync preview`.
public protocol SourceProbe: Sendable {
    func probe(_ request: SourceProbeRequest) async -> SourceProbeResult
}

/// What a verification step asks of the source.
public struct SourceProbeRequest: Sendable {
    public enum Purpose: String, Sendable {
        /// `GET /connections/{id}/test`: the credentials; the source's own parameters are not known yet.
        case test
        /// `GET /connections/{id}/explore` with `sourceParams`, and a flow run: the records.
        case explore, run
    }

    public var purpose: Purpose
    /// The connection spec as stored.
    public var spec: JSONValue
    /// The authSpec entry the base connection names (`auth.specName`).
    public var authSpec: JSONValue
    /// The base connection's `auth.params`, secrets included.
    public var authParams: JSONObject
    /// The source's `spec.properties` values (`sourceParams` of explore, `params` of a source connection).
    public var sourceParams: JSONObject

    public init(purpose: Purpose, spec: JSONValue, authSpec: JSONValue, authParams: JSONObject, sourceParams: JSONObject) {
        self.purpose = purpose
        self.spec = spec
        self.authSpec = authSpec
        self.authParams = authParams
        self.sourceParams = sourceParams
    }
}

/// What the source answered: the first records and how many there were when it worked, otherwise
/// what failed, where, and what was seen.
public struct SourceProbeResult: Sendable {
    /// The first records (explore's data), not all of them.
    public var records: [JSONValue]
    /// Every record the step read (a flow run's `outputRecordCount`).
    public var recordCount: Int
    /// Nil when the step worked.
    public var failure: String?

    public static func worked(_ records: [JSONValue], count: Int) -> SourceProbeResult {
        SourceProbeResult(records: records, recordCount: count, failure: nil)
    }
    public static func failed(_ reason: String) -> SourceProbeResult { SourceProbeResult(records: [], recordCount: 0, failure: reason) }
}
