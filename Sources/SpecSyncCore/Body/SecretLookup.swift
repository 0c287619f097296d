#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where `$(env:NAME)` and `$(cred:NAME)` in spec values are resolved: the environment and
/// `$CREDENTIALS_DIRECTORY`. Resolved values are marked sensitive in the body.
public struct SecretLookup: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    public enum Source: String, Sendable { case env, cred }

    /// The value, or nil when it is not defined. A value found is registered with `SecretRegistry`,
    /// so it is hidden in whatever text leaves the process from now on.
    public func value(_ source: Source, _ name: String) -> String? {
        let found = lookUp(source, name)
        if let found { SecretRegistry.shared.register(found) }
        return found
    }

    private func lookUp(_ source: Source, _ name: String) -> String? {
        switch source {
        case .env:
            return environment[name]
        case .cred:
            guard let directory = environment["CREDENTIALS_DIRECTORY"], !name.contains("/"), !name.hasPrefix(".") else { return nil }
            guard let data = FileManager.default.contents(atPath: LocalPath.join(directory, name)),
                  let text = String(data: data, encoding: .utf8) else { return nil }
            return text.trimmingNewlines()
        }
    }
}
