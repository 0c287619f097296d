/// The time window a scheduled run covers: the values of `scheduleStartParamName` and
/// `scheduleEndParamName`.
public struct ScheduleWindow: Sendable, Hashable {
    public var start: UTCInstant
    public var end: UTCInstant

    public init(start: UTCInstant, end: UTCInstant) {
        self.start = start
        self.end = end
    }
}
