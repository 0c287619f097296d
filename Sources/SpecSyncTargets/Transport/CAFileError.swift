/// Why a CA file for the API targets (`http.caFile`) cannot be used: the configuration layer adds
/// the key's name.
public struct CAFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "\(path) \(reason)" }
}
