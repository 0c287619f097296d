import SpecSyncTargets

/// The target's listing, read while a pass evaluates its bundles instead of after: the listing's
/// round trips (and the token's, on a pass's first request) then overlap the evaluation.
///
/// The read starts when the bundles about to be evaluated include enough without a record — each a
/// create, so a lookup by name — for the reconciler to want one listing for them (`readsListing`).
/// The decisions then make the same call on their own lookups and use the listing or leave it. A
/// full scan of recorded bundles starts no read: most of it is found unchanged and looks nothing up.
struct ListingAhead: Sendable {
    /// What `SyncTarget.list(bundles:)` answered; a failure is handled where the listing is used.
    let listing: Result<[RemoteSpec]?, any Error>
}
