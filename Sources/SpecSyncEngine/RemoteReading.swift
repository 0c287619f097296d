/// How a pass reads the remote for its lookups: one listing for all, a request each, or not at
/// all because the listing failed and the lookups would fail the same way.
enum RemoteReading: Sendable {
    case listed(RemoteListing)
    case perItem
    case failed(any Error & Sendable)
}
