extension SyncState {
    /// This state as `target`'s: refused when it belongs to another remote (a copied file, a changed
    /// org or sandbox) rather than written over; a state of the same remote under another address,
    /// name or older identity form is taken over, its identity brought up to date when next written.
    public func owned(by target: TargetIdentity, location: String) throws(StateError) -> SyncState {
        guard self.target.isSameRemote(as: target) else {
            throw StateError(subject: location, path: location, problem: "belongs to \(self.target), not to \(target)",
                             help: "point state.directory elsewhere or choose the right --target; if this target really moved to that account, run `specsync state rebind --target \(target.name)`")
        }
        var state = self
        state.target = target
        return state
    }
}
