import SpecSyncTargets

/// The target's resources as one listing read them at the start of the writes, by id for conflict
/// checks and by name for the lookups that come before a create.
struct RemoteListing: Sendable {
    let byID: [String: RemoteSpec]
    let byName: [String: [RemoteSpec]]

    init(_ remotes: [RemoteSpec]) {
        byID = Dictionary(remotes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var byName: [String: [RemoteSpec]] = [:]
        for remote in remotes { if let name = remote.name { byName[name, default: []].append(remote) } }
        self.byName = byName
    }
}
