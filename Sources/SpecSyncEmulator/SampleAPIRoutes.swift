#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
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

    func answer(
        method: HTTPRequest.Method, segments: [String], query: [(name: String, value: String)], authorization: String?, host: String?,
        cursorHeader: String? = nil, body: [UInt8] = []
    ) -> EmulatorReply {
        func value(_ name: String) -> String? { query.last { $0.name == name }?.value }
        if method == .post, segments == ["v2", "orders", "search"] {
            guard acmeAuthorized(authorization) else {
                return .json(.unauthorized, .object(JSONObject(["error": .string("unauthorized"), "message": .string("Basic credentials are missing or wrong")])))
            }
            return searchOrders(body)
        }
        guard method == .get else { return Self.problem(.methodNotAllowed, "Method Not Allowed", "only GET is served here") }
        switch segments.first {
        case "3.0":
            guard mailchimpAuthorized(authorization) else {
                return Self.problem(.unauthorized, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.")
            }
            return mailchimp(Array(segments.dropFirst()), value)
        case "v2":
            guard acmeAuthorized(authorization) else {
                return .json(.unauthorized, .object(JSONObject(["error": .string("unauthorized"), "message": .string("Basic credentials are missing or wrong")])))
            }
            return acme(Array(segments.dropFirst()), value, host: host, cursorHeader: cursorHeader)
        default:
            return Self.problem(.notFound, "Resource Not Found", "The requested resource could not be found.")
        }
    }

    // MARK: Mailchimp

    private func mailchimp(_ segments: [String], _ value: (String) -> String?) -> EmulatorReply {
        let count = max(1, min(Int(value("count") ?? "") ?? 10, 1000))
        let offset = max(0, Int(value("offset") ?? "") ?? 0)
        switch segments.count {
        case 1 where segments[0] == "campaigns":
            let all = (0..<configuration.campaignCount).map(SampleData.campaign)
            let page = Self.slice(all, offset: offset, count: count)
            return .json(.ok, .object(JSONObject([
                "campaigns": .array(page), "total_items": .number(String(all.count)),
                "hasMore": .bool(offset + page.count < all.count), "_links": SampleData.links("/3.0/campaigns"),
            ])))
        case 3 where segments[0] == "reports" && segments[2] == "email-activity":
            let all = (0..<configuration.memberCount / 10).map { SampleData.emailActivity($0, campaign: segments[1]) }
            let page = Self.slice(all, offset: offset, count: count)
            return .json(.ok, .object(JSONObject([
                "emails": .array(page), "campaign_id": .string(segments[1]), "total_items": .number(String(all.count)),
                "hasMore": .bool(offset + page.count < all.count),
            ])))
        case 3 where segments[0] == "lists" && segments[2] == "members":
            let list = segments[1]
            guard ["demo-list", "renamed-list", "stuck-list"].contains(list) else {
                return Self.problem(.notFound, "Resource Not Found", "The requested resource could not be found.")
            }
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
        default:
            return Self.problem(.notFound, "Resource Not Found", "The requested resource could not be found.")
        }
    }

    private func mailchimpAuthorized(_ header: String?) -> Bool {
        guard let header else { return false }
        if header == "Bearer \(configuration.mailchimpAccessToken)" { return true }
        guard header.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(header.dropFirst(6))),
              let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":") else { return false }
        return pair[pair.index(after: colon)...] == configuration.mailchimpAPIKey
    }

    // MARK: Acme

    private func acme(_ segments: [String], _ value: (String) -> String?, host: String?, cursorHeader: String?) -> EmulatorReply {
        guard segments.count == 1 else { return .json(.notFound, .object(JSONObject(["error": .string("not_found")]))) }
        let limit = max(1, min(Int(value("limit") ?? "") ?? configuration.orderPageSize, 500))
        switch segments[0] {
        case "orders", "orders-stuck":
            let after = value("updated_after")
            let before = value("updated_before")
            let all = (0..<configuration.orderCount).map(SampleData.order).filter { order in
                guard let updated = order[JSONPointer("/updated_at")]?.stringValue else { return true }
                return (after.map { updated >= $0 } ?? true) && (before.map { updated < $0 } ?? true)
            }
            let cursor = value("cursor") ?? cursorHeader
            let offset = cursor.flatMap { $0.hasPrefix("c") ? Int($0.dropFirst()) : nil } ?? 0
            if cursor != nil, !(cursor!.hasPrefix("c") && Int(cursor!.dropFirst()) != nil) {
                return .json(.badRequest, .object(JSONObject(["error": .string("invalid_cursor")])))
            }
            let page = Self.slice(all, offset: offset, count: limit)
            var next: JSONValue = offset + page.count < all.count ? .string("c\(offset + page.count)") : .null
            if segments[0] == "orders-stuck", next == .null, !page.isEmpty { next = .string(cursor ?? "c0") }
            return .json(.ok, .object(JSONObject(["orders": .array(page), "next": next])))
        case "customers":
            let all = (0..<configuration.customerCount).map(SampleData.customer)
            let offset = max(0, Int(value("after") ?? "") ?? 0)
            let page = Self.slice(all, offset: offset, count: limit)
            var paging = JSONObject()
            if offset + page.count < all.count {
                paging["next"] = .string("http://\(host ?? "127.0.0.1")/v2/customers?after=\(offset + page.count)&limit=\(limit)")
            }
            return .json(.ok, .object(JSONObject(["data": .array(page), "paging": .object(paging)])))
        case "products":
            let all = (0..<configuration.productCount).map(SampleData.product)
            let perPage = max(1, min(Int(value("per_page") ?? "") ?? 20, 500))
            let index = max(1, Int(value("page") ?? "") ?? 1)
            let page = Self.slice(all, offset: (index - 1) * perPage, count: perPage)
            return .json(.ok, .object(JSONObject([
                "products": .array(page), "page": .number(String(index)), "hasMore": .bool(index * perPage < all.count),
            ])))
        case "stores":
            return .json(.ok, .object(JSONObject(["stores": .array((0..<configuration.storeCount).map(SampleData.store))])))
        default:
            return .json(.notFound, .object(JSONObject(["error": .string("not_found")])))
        }
    }

    /// `POST /v2/orders/search`: the orders of the body's `customer_id`, all in one answer.
    private func searchOrders(_ body: [UInt8]) -> EmulatorReply {
        guard let document = try? JSONParser().parse(body), let customer = document[JSONPointer("/customer_id")]?.stringValue else {
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
