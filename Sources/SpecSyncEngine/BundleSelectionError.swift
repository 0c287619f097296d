/// `--bundle` patterns that name no bundle, in words.
public struct BundleSelectionError: Error, Sendable, CustomStringConvertible {
    public let unmatched: [String]
    public let commit: String

    public var description: String {
        let names = unmatched.map { "'\($0)'" }.joined(separator: ", ")
        return "--bundle \(names) names no bundle in git at \(commit.prefix(12)) or in the state: check the spelling (a glob such as 'mailchimp-*' needs quotes in a shell)"
    }
}
