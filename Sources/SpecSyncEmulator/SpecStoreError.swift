import SpecSyncCore
import SpecSyncJSON

/// Why an out-of-band change could not be made; these are test-setup mistakes, so say which.
public enum SpecStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownSpec(id: String)
    case invalidPointer(JSONPointer)
    case serverOwnedField(String)

    public var description: String {
        switch self {
        case .unknownSpec(let id): "no connection spec or flow spec with id \(id)"
        case .invalidPointer(let pointer): "nothing to edit at \"\(pointer)\": its parent does not exist"
        case .serverOwnedField(let name): "\(name) is owned by the server and cannot be edited"
        }
    }
}
