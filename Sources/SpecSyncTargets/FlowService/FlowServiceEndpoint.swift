import SpecSyncCore

/// Where a Flow Service target lives and who specsync is to it.
public struct FlowServiceEndpoint: Sendable, Equatable {
    /// e.g. https://platform.adobe.io/data/foundation/flowservice
    public let baseURL: String
    public let orgID: String
    public let sandbox: String
    /// Sent as `x-api-key`.
    public let clientID: String

    public init(baseURL: String, orgID: String, sandbox: String, clientID: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.orgID = orgID
        self.sandbox = sandbox
        self.clientID = clientID
    }
}

/// Something that happened on the wire, for progress, metrics and tests.
public enum RequestEvent: Sendable, Equatable {
    case response(method: String, status: Int)
    case transportFailure(method: String)
    case retry(method: String, delay: Duration)
}
