/// How one notification to one receiver went.
public enum NotificationDelivery: String, Sendable, CaseIterable {
    /// A 2xx answer.
    case sent
    /// A 4xx answer other than 408 and 429: sending again would not help.
    case rejected
    /// Every attempt failed (no answer in time, a transport error, 408, 429 or 5xx) within the timeout.
    case failed
}
