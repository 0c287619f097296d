/// How a reconcile pass ended, as the `result` label of `specsync_passes_total`.
public enum PassResult: String, Sendable, CaseIterable {
    /// Every bundle is in sync.
    case success
    /// Some bundles failed or are invalid; the others were synced.
    case partial
    /// The pass could not run (configuration, git, state, authentication).
    case failure
}
