/// A pass that ended early on an error that stops every bundle (a refused identity, a state that
/// cannot be written), with what it had done until then.
public struct PassInterrupted: Error, CustomStringConvertible {
    public let cause: any Error
    public let report: SyncReport

    public var description: String { "\(cause)" }
}
