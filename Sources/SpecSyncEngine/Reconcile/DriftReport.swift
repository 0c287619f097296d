import SpecSyncCore

/// What a drift check found: resources changed or deleted outside git since specsync last wrote them.
public struct DriftReport: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public let bundle: BundleID
        public let id: String
        /// The revision recorded after specsync's last write (`updatedAt`, or a content hash).
        public let recordedRevision: String?
        /// nil when the resource was deleted remotely.
        public let remoteRevision: String?

        public init(bundle: BundleID, id: String, recordedRevision: String?, remoteRevision: String?) {
            self.bundle = bundle
            self.id = id
            self.recordedRevision = recordedRevision
            self.remoteRevision = remoteRevision
        }
    }

    public var changed: [Change] = []
    public var deleted: [Change] = []

    public var count: Int { changed.count + deleted.count }

    public init() {}
}
