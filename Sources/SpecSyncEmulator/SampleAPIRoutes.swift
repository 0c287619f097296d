#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// The sample API's endpoints, one per pagination type of the Sources SDK:
///
/// | path | pagination | auth | records |
/// |---|---|---|---|
/// | `GET /3.0/lists/{listId}/members?count&offset` | OFFSET, `hasMore` | Mailchimp | `members` |
/// | `GET /3.0/campaigns?count&offset` | OFFSET, `hasMore` | Mailchimp | `campaigns` |
/// | `GET /3.0/reports/{campaignId}/email-activity?count&offset` | OFFSET, `hasMore` | Mailchimp | `emails`, each with an `activity` array |
/// | `GET /v2/orders?limit&cursor` (or header `X-Cursor`) | CONTINUATION_TOKEN `next` | Acme | `orders` |
/// | `GET /v2/customers?limit&after` | POINTER `paging.next` (absolute link) | Acme | `data` |
/// | `GET /v2/products?per_page&page` | PAGE, `hasMore` | Acme | `products` |
/// | `GET /v2/stores` | NONE | Acme | `stores` |
/// | `POST /v2/orders/search` `{"customer_id": …}` | NONE | Acme | `orders` of that customer |
///
/// Traps: the list `renamed-list` answers `{data, paging}` instead of `members` (a wrong content
/// path); the list `stuck-list` serves its last full page again for every offset past the end
/// with `hasMore: true`; `/v2/orders-stuck` gives the last page its own cursor as `next`.
/// Orders honour `updated_after`/`updated_before` (RFC 3339) so that a schedule window shows.
struct SampleAPIRoutes: Sendable {
    let configuration: SampleAPIConfiguration

    /// Search bodies are a few bytes.
    static let maximumBodySize = 1 << 20
    static let cursorHeader = HTTPField.Name("X-Cursor")!

    /// Whose credentials a path takes.
    enum Vendor {
        case mailchimp, acme
    }

    /// Every path but the search is GET only, refused before credentials are looked at; each
    /// vendor's unknown paths are its own 404 once the credentials pass.
    func add(to router: Router<EmulatorRequestContext>) {
        router.add(middleware: BodyLimitMiddleware(maximumBodySize: Self.maximumBodySize) { _, _ in .empty(.contentTooLarge) })
        router.add(middleware: UnknownPathMiddleware { request, context in
            (request.method == .get ? Self.notFound : Self.notGET)(try await EmulatorRequest(request, context: context)).response
        })
        let mailchimp = router.group("3.0")
        let acme = router.group("v2")
        func get(_ group: RouterGroup<EmulatorRequestContext>, _ path: RouterPath, _ vendor: Vendor, _ handler: @escaping EmulatorEndpoint.Handler) {
            group.resource(path, methods: [.get: authorized(vendor, handler)], otherwise: { Self.notGET($0) })
        }
        get(mailchimp, "campaigns", .mailchimp, campaigns)
        get(mailchimp, "reports/{campaign}/email-activity", .mailchimp, emailActivity)
        get(mailchimp, "lists/{list}/members", .mailchimp, members)
        for prefix in ["", "lists", "lists/{list}", "reports", "reports/{campaign}"] {
            get(mailchimp, RouterPath(prefix), .mailchimp, Self.notFound)
        }
        get(mailchimp, "**", .mailchimp, Self.notFound)
        for path in ["orders", "orders-stuck"] { get(acme, RouterPath(path), .acme, orders) }
        get(acme, "customers", .acme, customers)
        get(acme, "products", .acme, products)
        get(acme, "stores", .acme, stores)
        acme.resource(
            "orders/search", methods: [.post: authorized(.acme, searchOrders), .get: authorized(.acme, Self.acmeNotFound)],
            otherwise: { Self.notGET($0) })
        get(acme, "", .acme, Self.acmeNotFound)
        get(acme, "**", .acme, Self.acmeNotFound)
    }

    private func authorized(_ vendor: Vendor, _ handler: @escaping EmulatorEndpoint.Handler) -> EmulatorEndpoint.Handler {
        { request in
            let header = request.headers[.authorization]
            switch vendor {
            case .mailchimp where !mailchimpAuthorized(header):
                return Self.problem(.unauthorized, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.")
            case .acme where !acmeAuthorized(header):
                return .json(.unauthorized, .object(JSONObject(["error": .string("unauthorized"), "message": .string("Basic credentials are missing or wrong")])))
            default:
                return await handler(request)
            }
        }
    }

    @Sendable static func notGET(_ request: EmulatorRequest) -> EmulatorReply {
        problem(.methodNotAllowed, "Method Not Allowed", "only GET is served here")
    }

    @Sendable static func notFound(_ request: EmulatorRequest) -> EmulatorReply {
        problem(.notFound, "Resource Not Found", "The requested resource could not be found.")
    }

    @Sendable static func acmeNotFound(_ request: EmulatorRequest) -> EmulatorReply {
        .json(.notFound, .object(JSONObject(["error": .string("not_found")])))
    }

    /// `count` (1...1000, default 10) and `offset` (default 0), as Mailchimp pages.
    private static func countAndOffset(_ request: EmulatorRequest) -> (count: Int, offset: Int) {
        let count = max(1, min(Int(request.queryValues("count").last ?? "") ?? 10, 1000))
        return (count, max(0, Int(request.queryValues("offset").last ?? "") ?? 0))
    }

    // MARK: Mailchimp

    @Sendable private func campaigns(_ request: EmulatorRequest) -> EmulatorReply {
        let (count, offset) = Self.countAndOffset(request)
        let all = (0..<configuration.campaignCount).map(SampleData.campaign)
        let page = Self.slice(all, offset: offset, count: count)
        return .json(.ok, .object(JSONObject([
            "campaigns": .array(page), "total_items": .number(String(all.count)),
            "hasMore": .bool(offset + page.count < all.count), "_links": SampleData.links("/3.0/campaigns"),
        ])))
    }

    @Sendable private func emailActivity(_ request: EmulatorRequest) -> EmulatorReply {
        let (count, offset) = Self.countAndOffset(request)
        let campaign = request.parameters["campaign"] ?? ""
        let all = (0..<configuration.memberCount / 10).map { SampleData.emailActivity($0, campaign: campaign) }
        let page = Self.slice(all, offset: offset, count: count)
        return .json(.ok, .object(JSONObject([
            "emails": .array(page), "campaign_id": .string(campaign), "total_items": .number(String(all.count)),
            "hasMore": .bool(offset + page.count < all.count),
        ])))
    }

    @Sendable private func members(_ request: EmulatorRequest) -> EmulatorReply {
        let (count, offset) = Self.countAndOffset(request)
        let list = request.parameters["list"] ?? ""
        guard ["demo-list", "renamed-list", "stuck-list"].contains(list) else { return Self.notFound(request) }
        let all = (0..<configuration.memberCount).map { SampleData.member($0, list: list) }
        var page = Self.slice(all, offset: offset, count: count)
        var hasMore = offset + page.count < all.count
        if list == "stuck-list", page.count < count {
            // The trap: past the end, the last full page comes again and the API says there is more.
            page = Self.slice(all, offset: max(0, all.count - count), count: count)
            hasMore = true
        }
        if list == "renamed-list" {
            return .json(.ok, .object(JSONObject([
                "data": .array(page),
                "paging": .object(JSONObject(["offset": .number(String(offset)), "total": .number(String(all.count))])),
            ])))
        }
        return .json(.ok, .object(JSONObject([
            "members": .array(page), "list_id": .string(list), "total_items": .number(String(all.count)),
            "hasMore": .bool(hasMore), "_links": SampleData.links("/3.0/lists/\(list)/members"),
        ])))
    }

    private func mailchimpAuthorized(_ header: String?) -> Bool {
        guard let header else { return false }
        if header == "Bearer \(configuration.mailchimpAccessToken)" { return true }
        guard header.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(header.dropFirst(6))),
              let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return false }
        return pair[pair.index(after: colon)...] == configuration.mailchimpAPIKey
    }

    // MARK: Acme

    private func limit(_ request: EmulatorRequest) -> Int {
        max(1, min(Int(request.queryValues("limit").last ?? "") ?? configuration.orderPageSize, 500))
    }

    /// `/v2/orders` and the trap `/v2/orders-stuck`, whose last page names its own cursor as `next`.
    @Sendable private func orders(_ request: EmulatorRequest) -> EmulatorReply {
        let after = request.queryValues("updated_after").last
        let before = request.queryValues("updated_before").last
        let all = (0..<configuration.orderCount).map(SampleData.order).filter { order in
            guard let updated = order[JSONPointer("/updated_at")]?.stringValue else { return true }
            return (after.map { updated >= $0 } ?? true) && (before.map { updated < $0 } ?? true)
        }
        let cursor = request.queryValues("cursor").last ?? request.headers[Self.cursorHeader]
        let offset = cursor.flatMap { $0.hasPrefix("c") ? Int($0.dropFirst()) : nil } ?? 0
        if cursor != nil, !(cursor!.hasPrefix("c") && Int(cursor!.dropFirst()) != nil) {
            return .json(.badRequest, .object(JSONObject(["error": .string("invalid_cursor")])))
        }
        let page = Self.slice(all, offset: offset, count: limit(request))
        var next: JSONValue = offset + page.count < all.count ? .string("c\(offset + page.count)") : .null
        if request.segments.last == "orders-stuck", next == .null, !page.isEmpty { next = .string(cursor ?? "c0") }
        return .json(.ok, .object(JSONObject(["orders": .array(page), "next": next])))
    }

    @Sendable private func customers(_ request: EmulatorRequest) -> EmulatorReply {
        let limit = limit(request)
        let all = (0..<configuration.customerCount).map(SampleData.customer)
        let offset = max(0, Int(request.queryValues("after").last ?? "") ?? 0)
        let page = Self.slice(all, offset: offset, count: limit)
        var paging = JSONObject()
        if offset + page.count < all.count {
            paging["next"] = .string("http://\(request.authority ?? "127.0.0.1")/v2/customers?after=\(offset + page.count)&limit=\(limit)")
        }
        return .json(.ok, .object(JSONObject(["data": .array(page), "paging": .object(paging)])))
    }

    @Sendable private func products(_ request: EmulatorRequest) -> EmulatorReply {
        let all = (0..<configuration.productCount).map(SampleData.product)
        let perPage = max(1, min(Int(request.queryValues("per_page").last ?? "") ?? 20, 500))
        let index = max(1, Int(request.queryValues("page").last ?? "") ?? 1)
        let page = Self.slice(all, offset: (index - 1) * perPage, count: perPage)
        return .json(.ok, .object(JSONObject([
            "products": .array(page), "page": .number(String(index)), "hasMore": .bool(index * perPage < all.count),
        ])))
    }

    @Sendable private func stores(_ request: EmulatorRequest) -> EmulatorReply {
        .json(.ok, .object(JSONObject(["stores": .array((0..<configuration.storeCount).map(SampleData.store))])))
    }

    /// `POST /v2/orders/search`: the orders of the body's `customer_id`, all in one answer.
    @Sendable private func searchOrders(_ request: EmulatorRequest) -> EmulatorReply {
        guard let document = try? JSONParser().parse(request.body), let customer = document[JSONPointer("/customer_id")]?.stringValue else {
            return .json(.badRequest, .object(JSONObject(["error": .string("invalid_body"), "message": .string("expected {\"customer_id\": \"…\"}")])))
        }
        let orders = (0..<configuration.orderCount).map(SampleData.order).filter { $0[JSONPointer("/customer_id")] == .string(customer) }
        return .json(.ok, .object(JSONObject(["orders": .array(orders)])))
    }

    private func acmeAuthorized(_ header: String?) -> Bool {
        let pair = "\(configuration.acmeUsername):\(configuration.acmePassword)"
        return header == "Basic " + Data(pair.utf8).base64EncodedString()
    }

    static func slice(_ all: [JSONValue], offset: Int, count: Int) -> [JSONValue] {
        guard offset < all.count else { return [] }
        return Array(all[offset..<min(all.count, offset + count)])
    }

    /// Mailchimp's error shape (RFC 7807 problem details).
    static func problem(_ status: HTTPResponse.Status, _ title: String, _ detail: String) -> EmulatorReply {
        .json(status, .object(JSONObject([
            "type": .string("https://mailchimp.com/developer/marketing/docs/errors/"), "title": .string(title),
            "status": .number(String(status.code)), "detail": .string(detail), "instance": .string(UUID().uuidString.lowercased()),
        ])))
    }
}
