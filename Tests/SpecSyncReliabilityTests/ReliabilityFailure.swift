/// Something the reliability harness itself could not do (start the emulator, reach a control route).
struct ReliabilityFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
