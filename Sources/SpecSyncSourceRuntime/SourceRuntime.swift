import SpecSyncCore
import SpecSyncTargets
import SpecSyncJSON

/// Runs a connection spec's `sourceSpec` the way the Sources SDK's generic REST runtime describes
/// it: composes each page's request, authenticates, follows the pagination, and collects the
/// records `contentPath` (and `explodeEntityPath`) point at. Bounded by pages, records and a
/// deadline; a listing that never ends (a page served twice, a cursor or link that repeats) is
/// stopped with a diagnostic. Never throws: whatever goes wrong is a diagnostic in the result.
public enum SourceRuntime {
    /// The longest one request may take, within what is left of the deadline.
    static let requestTimeout: Duration = .seconds(30)

    /// - Parameters:
    ///   - spec: the whole connection spec (authSpec and sourceSpec).
    ///   - origin: `scheme://host[:port]` every request goes to instead of the host the spec
    ///     composes, path and query kept: a local stand-in of the third-party API.
    ///   - transport: the HTTP seam; nil uses AsyncHTTPClient with a timeout per request.
    public static func run(
        spec: JSONValue, input: PreviewInput, origin: String?, limits: PreviewLimits,
        transport: (any HTTPTransport)? = nil
    ) async -> PreviewResult {
        var result = PreviewResult()
        let (parsed, problems) = SourceSpec.parse(spec)
        result.diagnostics += problems
        guard let source = parsed else { return result }
        let (credentials, authProblems) = SourceCredentials.resolve(input, options: source.authOptions)
        result.diagnostics += authProblems
        guard let credentials else { return result }
        var origin = origin
        if let given = origin {
            guard let normalized = Self.origin(given) else {
                result.diagnostics.append(.init(.error, code: "origin", message: "--origin \(given) is not scheme://host[:port] (e.g. http://127.0.0.1:8788)"))
                return result
            }
            origin = normalized
        }
        var run = SourceRun(source: source, input: input, credentials: credentials, origin: origin, limits: limits, transport: transport)
        await run.fetchAll(into: &result)
        return result
    }

    /// "http://127.0.0.1:8788/" → "http://127.0.0.1:8788"; nil for anything with a path or no host.
    static func origin(_ text: String) -> String? {
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let scheme = trimmed.firstRange(of: "://") else { return nil }
        let name = trimmed[..<scheme.lowerBound].lowercased()
        let authority = trimmed[scheme.upperBound...]
        guard name == "http" || name == "https", !authority.isEmpty, !authority.contains("/"), !authority.contains("?") else { return nil }
        return trimmed
    }

    /// The scheme and authority of an absolute URL, and the rest (path and query).
    static func split(absolute url: String) -> (origin: String, rest: String)? {
        guard let scheme = url.firstRange(of: "://") else { return nil }
        let afterScheme = url[scheme.upperBound...]
        let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        return (String(url[..<slash]), String(url[slash...]))
    }
}
