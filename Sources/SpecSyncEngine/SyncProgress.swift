import SpecSyncCore

/// Progress of a pass, for a terminal progress line or logs.
public struct SyncProgress: Sendable {
    public enum Step: String, Sendable { case creating, updating, done, failed }
    public let bundle: BundleID
    public let step: Step
    public let completed: Int
    public let total: Int
}
