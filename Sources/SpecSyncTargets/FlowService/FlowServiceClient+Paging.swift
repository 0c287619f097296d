import Logging
import SpecSyncCore
import SpecSyncJSON

extension FlowServiceClient {
    /// A Flow Service listing read to its end: the first page at `path`, then every
    /// `_links.next.href` (relative to the service base, as documented) until a page has none. A
    /// next link that leaves the listing, or comes round again, is an error: a partial listing
    /// would make a missing spec look deleted, or a lookup miss and create a duplicate.
    func pages(of path: String, query: String?) async throws -> [RemoteSpec] {
        var specs: [RemoteSpec] = []
        var request = (path: path, query: query)
        var seen: Set<String> = []
        var page = 0
        while true {
            page += 1
            let url = endpoint.baseURL + request.path + (request.query.map { "?" + $0 } ?? "")
            let response = try await send("GET", request.path, query: request.query, idempotent: true)
            let document: JSONValue
            do {
                document = try JSONParser().parse(response.body)
            } catch {
                throw RequestError.invalidResponse(method: "GET", url: url, reason: "the body is not JSON (\(error))")
            }
            do {
                // Parsed once: a page of a big listing is megabytes.
                specs += try RemoteSpec.list(from: document)
            } catch {
                throw RequestError.invalidResponse(method: "GET", url: url, reason: "\(error)")
            }
            let next = document[JSONPointer("/_links/next/href")]?.stringValue
            api.logger.debug("listing page read", metadata: [
                "path": "\(path)", "page": "\(page)", "items.total": "\(specs.count)", "next": "\(next ?? "none")",
            ])
            guard let next, !next.isEmpty else { return specs }
            guard let following = Self.relative(next, base: endpoint.baseURL), following.path == path else {
                throw RequestError.invalidResponse(
                    method: "GET", url: url, reason: "the next page link \(next) does not continue the listing \(path)")
            }
            guard seen.insert(next).inserted else {
                throw RequestError.invalidResponse(method: "GET", url: url, reason: "the next page link \(next) came round again")
            }
            request = (following.path, following.query)
        }
    }

    /// `href` as a path and query under the service base: "/connectionSpecs?continuationToken=…"
    /// as documented, or the same written out in full under `base`. Nil for anything else.
    static func relative(_ href: String, base: String) -> (path: String, query: String?)? {
        var rest = Substring(href)
        if rest.hasPrefix(base + "/") {
            rest = rest.dropFirst(base.count)
        } else if let pathStart = base.firstRange(of: "://").flatMap({ base[$0.upperBound...].firstIndex(of: "/") }),
                  rest.hasPrefix(base[pathStart...] + "/") {
            // Relative to the host rather than the service: "/data/foundation/flowservice/connectionSpecs?…".
            rest = rest.dropFirst(base.distance(from: pathStart, to: base.endIndex))
        }
        guard rest.hasPrefix("/"), !rest.hasPrefix("//") else { return nil }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : nil)
    }
}
