/// Why one entry of a bundle (a file, or the bundle's folder itself) cannot be read or synced, as
/// the source found it; the evaluator turns each into an error diagnostic naming the path.
public struct BundleEntryProblem: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A git submodule (gitlink): its files live in another repository.
        case gitlink
        /// A tree entry name git refuses to check out (`..`, `.git`, a '/' or NUL inside).
        case refusedName = "refused-name"
        /// A git object the repository should hold but cannot give (deleted, truncated, corrupt).
        case unreadableObject = "unreadable-object"
    }

    public let kind: Kind
    /// Repository path of the entry.
    public let path: String
    public let message: String
    public let help: String

    public init(_ kind: Kind, path: String, message: String, help: String) {
        self.kind = kind
        self.path = path
        self.message = message
        self.help = help
    }

    public var diagnostic: Diagnostic {
        Diagnostic(.error, code: kind.rawValue, file: path, message: message, help: help)
    }
}
