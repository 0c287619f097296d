import HTTPTypes
import SpecSyncCore
import SpecSyncJSON

/// One page of a Flow Service listing, as the OpenAPI documents it: at most `limit` items (the
/// service's own page size without one), a `continuationToken` in `_links.next.href` (relative to
/// the service base, the query otherwise kept) while more remain, and `{"count": N}` for `count=true`.
/// Items keep their stored order, so a page boundary never moves while a client reads on.
struct ListingPage: Sendable {
    let defaultLimit: Int
    let maximumLimit: Int

    /// The answer for `request` over `items` (already filtered), listed at `collection` ("/connectionSpecs").
    func reply(
        _ items: [JSONValue], request: EmulatorRequest, collection: String, presentation: SpecPresentation
    ) throws(EmulatorError) -> EmulatorReply {
        if let count = request.queryValues("count").last, count.lowercased() == "true" {
            return .json(.ok, .object(JSONObject(["count": .number(String(items.count))])))
        }
        let limit = try self.limit(request)
        let start = try Self.offset(request)
        let end = min(items.count, start + limit)
        let page = start < end ? Array(items[start..<end]) : []
        var body = JSONObject(["items": .array(page.map(presentation.present))])
        if end < items.count {
            var query = request.query.filter { $0.name != "continuationToken" && $0.name != "count" }
            query.append((name: "continuationToken", value: Self.token(offset: end)))
            let href = collection + "?" + query.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
            body["_links"] = .object(JSONObject(["next": .object(JSONObject(["href": .string(href)]))]))
        }
        return .json(.ok, .object(body))
    }

    private func limit(_ request: EmulatorRequest) throws(EmulatorError) -> Int {
        guard let text = request.queryValues("limit").last else { return defaultLimit }
        guard let limit = Int(text), (1...maximumLimit).contains(limit) else {
            throw .badRequest("Invalid limit \(text): give a whole number from 1 to \(maximumLimit).", code: "FLOW-1107-400")
        }
        return limit
    }

    /// Tokens are opaque to clients; here one is the offset of the next item, so a token from
    /// another listing or an edited one is refused rather than silently read as the start.
    static func token(offset: Int) -> String { "ct1." + String(offset, radix: 36) }

    private static func offset(_ request: EmulatorRequest) throws(EmulatorError) -> Int {
        guard let token = request.queryValues("continuationToken").last else { return 0 }
        guard token.hasPrefix("ct1."), let offset = Int(token.dropFirst(4), radix: 36), offset >= 0 else {
            throw .badRequest(
                "Invalid continuationToken \(token): use the _links.next.href of the previous page as it is.",
                code: "FLOW-1107-400")
        }
        return offset
    }

    /// Query percent-encoding: unreserved characters stay, every other UTF-8 byte is %XX.
    static func encode(_ text: String) -> String {
        PercentEncoding.encode(text, keeping: "-._~")
    }
}
