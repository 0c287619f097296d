/// Where a secret is read from when it is needed. The value itself never enters the configuration.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    /// A file in `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`).
    case credential(String)
    case environment(String)
    case file(String)

    public var description: String {
        switch self {
        case .credential(let name): "credential '\(name)'"
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "file \(path)"
        }
    }
}
