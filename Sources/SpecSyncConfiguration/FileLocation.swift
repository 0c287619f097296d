#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A file the configuration names (a known_hosts file, a CA bundle, an ssh key): a path, or a systemd
/// credential, so that a hardened unit hands it over with `LoadCredential=` as it does the secrets
/// and the configuration does not depend on the unit's name (`/run/credentials/<unit>/…`).
public enum FileLocation: Sendable, Equatable, CustomStringConvertible {
    case path(String)
    /// `{credential: NAME}`: the file NAME in `$CREDENTIALS_DIRECTORY`.
    case credential(String)

    public var description: String {
        switch self {
        case .path(let path): path
        case .credential(let name): "credential '\(name)'"
        }
    }

    /// The file's path; a credential must be in `$CREDENTIALS_DIRECTORY`. `setting` names the key in errors.
    public func path(environment: [String: String], setting: String) throws(ConfigurationError) -> String {
        switch self {
        case .path(let path):
            return path
        case .credential(let name):
            guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
                throw ConfigurationError(
                    source: nil, location: nil,
                    message: "\(setting) is credential '\(name)', but $CREDENTIALS_DIRECTORY is not set; run under systemd with LoadCredential=\(name):PATH, or set CREDENTIALS_DIRECTORY to the folder holding it")
            }
            let path = directory + "/" + name
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigurationError(
                    source: nil, location: nil,
                    message: "\(setting) is credential '\(name)', which is not a readable file in \(directory); check that LoadCredential=\(name):PATH names a readable file")
            }
            return path
        }
    }
}
