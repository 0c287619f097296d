extension SyncEngine.Options {
    /// `other`, or true once `deadline` has passed since now: a pass then starts no new write.
    /// A caller that sets its own `shouldStop` composes it with this one.
    public static func stopping(after deadline: Duration, or other: @escaping @Sendable () -> Bool) -> @Sendable () -> Bool {
        let end = ContinuousClock.now.advanced(by: deadline)
        return { other() || ContinuousClock.now >= end }
    }
}
