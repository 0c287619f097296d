/// What a notification receiver can ask to hear about after a pass.
public enum NotificationEvent: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// The pass stopped for every bundle (a state that cannot be written, a refused identity, git).
    case passFailed = "pass-failed"
    /// A bundle's write failed, was refused, or its files have errors; said once, when it starts
    /// failing or fails for another reason.
    case bundleFailed = "bundle-failed"
    /// A spec was changed outside git and specsync did not overwrite it.
    case conflict
    /// The daemon's drift check found specs changed or deleted outside git.
    case drift
    /// A bundle was quarantined: its remote kept diverging after every heal.
    case quarantine
    /// A bundle that was failing is in sync again, or a pass succeeded after a failed one.
    case recovered
    /// The daemon's `verify.afterSync` chain failed for a spec the pass wrote; said once per change.
    case verificationFailed = "verification-failed"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
