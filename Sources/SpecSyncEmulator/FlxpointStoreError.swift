/// Why an out-of-band change to Flxpoint could not be made; test-setup mistakes, so say which.
public enum FlxpointStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownConnection(id: Int)

    public var description: String {
        switch self {
        case .unknownConnection(let id): "no Flxpoint connection with id \(id)"
        }
    }
}
