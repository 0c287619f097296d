/// A saved plan refused whole because what it was decided from moved: nothing was applied.
public struct StalePlan: Error, Sendable, CustomStringConvertible {
    public let movements: [String]

    public init(movements: [String]) { self.movements = movements }

    public var description: String {
        "the saved plan is stale, nothing was applied:\n" + movements.map { "  - " + $0 }.joined(separator: "\n")
            + "\nmake a new plan (`specsync plan --out FILE`), review it, and apply that one"
    }
}
