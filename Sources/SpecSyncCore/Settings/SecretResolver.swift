#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncCore

/// Reads secrets from where the configuration says: `$CREDENTIALS_DIRECTORY` (systemd
/// `LoadCredential=`), a file, or the environment.
public struct SecretResolver: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    public func resolve(_ reference: SecretReference) throws -> Secret {
        switch reference {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw SecretError(reference: reference, problem: "is not set", help: "export \(name) or name another source in the configuration")
            }
            return Secret(value)
        case .credential(let name):
            guard let directory = environment["CREDENTIALS_DIRECTORY"] else {
                throw SecretError(reference: reference, problem: "cannot be read: $CREDENTIALS_DIRECTORY is not set",
                                  help: "run under systemd with LoadCredential=\(name):PATH, or set CREDENTIALS_DIRECTORY")
            }
            // One reader of $CREDENTIALS_DIRECTORY for the whole program: the one `$(cred:…)` in specs uses.
            guard let value = SecretLookup(environment: environment).value(.cred, name) else {
                throw SecretError(reference: reference, problem: "cannot be read from \(directory)",
                                  help: "check that LoadCredential=\(name):PATH names a readable file")
            }
            let trimmed = value.trimmingWhitespaceAndNewlines()
            guard !trimmed.isEmpty else {
                throw SecretError(reference: reference, problem: "in \(directory) is empty", help: "write the secret into the file")
            }
            return Secret(trimmed)
        case .file(let path):
            return try read(path, reference: reference)
        }
    }

    func read(_ path: String, reference: SecretReference) throws -> Secret {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SecretError(reference: reference, problem: "cannot be read from \(path)", help: "check that the file exists and is readable by specsync")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SecretError(reference: reference, problem: "in \(path) is not UTF-8 text", help: "store the secret as plain text")
        }
        let value = text.trimmingWhitespaceAndNewlines()
        guard !value.isEmpty else {
            throw SecretError(reference: reference, problem: "in \(path) is empty", help: "write the secret into the file")
        }
        return Secret(value)
    }
}

public struct SecretError: Error, Sendable, CustomStringConvertible {
    public let reference: SecretReference
    public let problem: String
    public let help: String

    public var description: String { "the secret from \(reference) \(problem); \(help)" }
}
