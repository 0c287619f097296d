import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncTargets

/// The target of `plan --offline`: the reconciler is asked nothing that needs the network, so every
/// request is a programming error, refused in words rather than sent.
struct OfflineTarget: SyncTarget {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "plan --offline sends no request" }
    }

    var ratePolicy: RatePolicy { RatePolicy() }
    func create(_ body: ReplacementBody) async throws -> RemoteSpec { throw Refused() }
    func replace(id: String, with body: ReplacementBody) async throws -> RemoteSpec { throw Refused() }
    func read(id: String, bundle: BundleID) async throws -> RemoteSpec? { throw Refused() }
    func find(name: String, bundle: BundleID) async throws -> [RemoteSpec] { throw Refused() }
}
