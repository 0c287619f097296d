/// Whether specsync may treat a remote spec as its own. A real org's listing also holds specs of
/// other clients (colleagues, the console) and Adobe's whole catalogue (another org), with names
/// that are not unique: a sync never adopts or writes one of those on its own, `adopt`/`import`
/// link a foreign one only when asked, and one of another org never.
public enum SpecOwnership: Sendable, Equatable {
    /// Created by this client in this org, or the target records no owners (Flxpoint, Versori).
    case ours
    /// In this org, created by another client (nil: the spec does not say which).
    case foreign(createdClient: String?)
    /// Another org's, such as Adobe's catalogue: never linked, never written.
    case otherOrg(orgID: String, createdClient: String?)

    public init(of remote: RemoteSpec, owner: SpecOwner?) {
        guard let owner else {
            self = .ours
            return
        }
        if let orgID = remote.orgID, orgID != owner.orgID {
            self = .otherOrg(orgID: orgID, createdClient: remote.createdClient)
        } else if remote.createdClient == owner.clientID {
            self = .ours
        } else {
            self = .foreign(createdClient: remote.createdClient)
        }
    }

    /// For a report: "created by client X" (and the org when it is another one's).
    public var creator: String {
        switch self {
        case .ours: "created by this client"
        case .foreign(let client): "created by \(client.map { "client \($0)" } ?? "an unknown client")"
        case .otherOrg(let org, let client): "of the org \(org), created by \(client.map { "client \($0)" } ?? "an unknown client")"
        }
    }

    /// `remotes` split into this client's and the others, each with its ownership.
    public static func partition(_ remotes: [RemoteSpec], owner: SpecOwner?) -> (ours: [RemoteSpec], others: [(RemoteSpec, SpecOwnership)]) {
        var ours: [RemoteSpec] = []
        var others: [(RemoteSpec, SpecOwnership)] = []
        for remote in remotes {
            let ownership = SpecOwnership(of: remote, owner: owner)
            if ownership == .ours { ours.append(remote) } else { others.append((remote, ownership)) }
        }
        return (ours, others)
    }

    /// True for a spec of this org that another client created: `adopt`/`import` may link it when asked.
    public var isLinkableWhenAsked: Bool {
        if case .foreign = self { true } else { false }
    }

    /// What `adopt` or `import` may link among `remotes`: this client's specs and, with
    /// `includeForeign`, this org's specs of other clients; the rest are skipped, with their ownership.
    public static func linkable(
        _ remotes: [RemoteSpec], owner: SpecOwner?, includeForeign: Bool
    ) -> (linkable: [RemoteSpec], skipped: [(RemoteSpec, SpecOwnership)]) {
        let (ours, others) = partition(remotes, owner: owner)
        let asked = includeForeign ? others.filter { $0.1.isLinkableWhenAsked } : []
        return (ours + asked.map(\.0), others.filter { !(includeForeign && $0.1.isLinkableWhenAsked) })
    }

    /// "ID (created by client X), …" for a log line or a reason.
    public static func describe(_ others: [(RemoteSpec, SpecOwnership)]) -> String {
        others.map { "\($0.0.id) (\($0.1.creator))" }.joined(separator: ", ")
    }
}
