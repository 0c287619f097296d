/// Who specsync is to a target that records who wrote what: the API client it authenticates as
/// and the org it acts in. Flow Service stamps both on every spec (`createdClient`, `imsOrgId`).
public struct SpecOwner: Sendable, Equatable {
    public let clientID: String
    public let orgID: String

    public init(clientID: String, orgID: String) {
        self.clientID = clientID
        self.orgID = orgID
    }
}
