import SpecSyncTargets

extension RequestError {
    /// A listing that failed like this says nothing of single reads: too large to take, or an
    /// answer this client cannot read. Each lookup then asks on its own.
    var leavesLookupsToThemselves: Bool {
        switch self {
        case .invalidResponse: true
        case .unreachable(let error, _): error.isPermanent
        default: false
        }
    }
}
