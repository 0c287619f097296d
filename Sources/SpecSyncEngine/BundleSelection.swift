#if canImport(Glibc)
import Glibc
#endif
import SpecSyncCore

/// The bundles `--bundle NAME` asks for: names or shell globs (`mailchimp-*`), matched against a
/// bundle's folder name, or the folder it was renamed from.
public struct BundleSelection: Sendable, Equatable {
    public let patterns: [String]

    public init(_ patterns: [String]) { self.patterns = patterns }

    public func contains(_ bundle: BundleID) -> Bool {
        patterns.contains { Self.matches($0, bundle.source) }
    }

    public func contains(_ change: PlannedChange) -> Bool {
        contains(change.bundle) || change.renamedFrom.map(contains) == true
    }

    /// The patterns that name none of `bundles`: a misspelt name selects nothing, silently, otherwise.
    public func unmatched(in bundles: some Sequence<BundleID>) -> [String] {
        var left = Set(patterns)
        for bundle in bundles where !left.isEmpty {
            left = left.filter { !Self.matches($0, bundle.source) }
        }
        return patterns.filter(left.contains)
    }

    static func matches(_ pattern: String, _ name: String) -> Bool {
        // FNM_PERIOD: a hidden folder is named on purpose, never by `*`.
        fnmatch(pattern, name, FNM_PERIOD) == 0
    }
}
