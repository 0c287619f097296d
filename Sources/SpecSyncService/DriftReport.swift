import SpecSyncCore

/// What a drift check found: specs changed or deleted outside git since specsync last wrote them.
public struct DriftReport: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        public let bundle: BundleID
        public let id: String
        public let recordedUpdatedAt: Int64?
        /// nil when the spec was deleted remotely.
        public let remoteUpdatedAt: Int64?
    }

    public var changed: [Change] = []
    public var deleted: [Change] = []

    public var count: Int { changed.count + deleted.count }
}
