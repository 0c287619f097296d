import SpecSyncTargets

extension Reconciler {
    /// Whether a pass answers its `lookups` from one listing of the target rather than a read each.
    /// Both give the same facts; this is only about what they cost, in round trips:
    /// - reads go `slots` at a time: ⌈lookups ÷ slots⌉ rounds, each bundle's read just before its
    ///   write;
    /// - a listing pages through at least every `recorded` resource, one page after another:
    ///   ⌈recorded ÷ items per page⌉ rounds (one when the target's listing is one request), and its
    ///   size grows with the whole remote, not with the change.
    /// A few lookups (under `RatePolicy.listingThreshold`) are always read on their own, unless there
    /// is no state at all (a fresh CI runner asks about every bundle, and one listing answers all).
    public func readsListing(lookups: Int, recorded: Int, slots: Int, rate: RatePolicy) -> Bool {
        guard lookups >= (recorded == 0 ? 2 : rate.listingThreshold) else { return false }
        guard let perPage = rate.listingItemsPerRequest, perPage > 0 else { return true }
        let listingRounds = max(1, (recorded + perPage - 1) / perPage)
        let readRounds = (lookups + max(1, slots) - 1) / max(1, slots)
        return listingRounds <= readRounds
    }
}
