/// How far a preview may go: it stops at whichever bound comes first, and says which.
public struct PreviewLimits: Sendable, Hashable {
    public var maxPages: Int
    public var maxRecords: Int
    /// For the whole preview, every request included.
    public var deadline: Duration
    /// How many of the first records the result carries.
    public var sampleSize: Int

    public init(maxPages: Int = 20, maxRecords: Int = 10_000, deadline: Duration = .seconds(60), sampleSize: Int = 5) {
        self.maxPages = maxPages
        self.maxRecords = maxRecords
        self.deadline = deadline
        self.sampleSize = sampleSize
    }
}
