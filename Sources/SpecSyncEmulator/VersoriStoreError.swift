/// Why an out-of-band change to Versori could not be made; test-setup mistakes, so say which.
public enum VersoriStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownConnection(connector: String, id: String)
    /// Names are unique within a connector, in the UI as through the API.
    case nameTaken(connector: String, name: String)

    public var description: String {
        switch self {
        case .unknownConnection(let connector, let id): "no Versori connection \(id) in connector \(connector)"
        case .nameTaken(let connector, let name): "connector \(connector) already has a connection named \(name)"
        }
    }
}
