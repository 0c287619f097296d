import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncSourceRuntime
import SpecSyncTestSupport
import Testing
import SpecSyncJSON

/// The runtime over real HTTP against the emulator's sample API: the example bundles and one spec
/// per pagination type bring back the right records, and every trap gives its diagnostic.
@Suite("source runtime against the sample API")
struct SampleAPIPreviewTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/examples/Sources")
    static let sample = SampleAPIConfiguration()

    static func example(_ name: String) throws -> JSONValue {
        let url = examples.appendingPathComponent("\(name)/Artifacts/\(name)-connectionSpec.json")
        return try JSONParser().parse(Array(try Data(contentsOf: url)))
    }

    static var mailchimpBasic: PreviewInput {
        PreviewInput(authType: "BasicAuthentication", auth: ["domain": "us21", "username": "anyone", "password": sample.mailchimpAPIKey],
                     params: ["listId": "demo-list"])
    }

    static var acme: PreviewInput {
        PreviewInput(authType: "BasicAuthentication", auth: ["domain": "shop", "username": sample.acmeUsername, "password": sample.acmePassword])
    }

    /// An example with members of its `sourceSpec.attributes` replaced (JSON text per member).
    static func variant(of name: String, _ members: [String: String]) throws -> JSONValue {
        let spec = try example(name)
        guard case .object(var root) = spec, case .object(var sourceSpec)? = root["sourceSpec"],
              case .object(var attributes)? = sourceSpec["attributes"] else {
            Issue.record("\(name) has no sourceSpec.attributes")
            return spec
        }
        for (key, text) in members { attributes[key] = try JSONParser().parse(text) }
        sourceSpec["attributes"] = .object(attributes)
        root["sourceSpec"] = .object(sourceSpec)
        return .object(root)
    }

    /// acme-orders with its sourceSpec's path, contentPath and paginationParams replaced.
    static func acmeVariant(path: String, contentPath: String, pagination: String) throws -> JSONValue {
        try variant(of: "acme-orders", [
            "urlParams": #"{"host": "https://${domain}.acme.example", "path": "\#(path)", "method": "GET"}"#,
            "contentPath": #"{"path": "\#(contentPath)"}"#,
            "paginationParams": pagination,
        ])
    }

    static func run(_ spec: JSONValue, _ input: PreviewInput, limits: PreviewLimits = .init()) async throws -> PreviewResult {
        try await withSampleAPI(sample) { server in
            await SourceRuntime.run(spec: spec, input: input, origin: try await server.baseURL, limits: limits)
        }
    }

    @Test("mailchimp-members: OFFSET with $.hasMore, 250 members in 3 pages, skipped attributes gone, wrapped as member")
    func members() async throws {
        let result = try await Self.run(try Self.example("mailchimp-members"), Self.mailchimpBasic)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.pages == 3)
        #expect(result.recordCount == 250)
        #expect(result.requests.first?.hasSuffix("/3.0/lists/demo-list/members?count=100&offset=0") == true, "\(result.requests)")
        #expect(result.requests.last?.hasSuffix("offset=200") == true)
        let first = try #require(result.sample.first?[JSONPointer("/member")]?.objectValue)
        #expect(first["email_address"] == .string("member0000@example.com"))
        #expect(first["_links"] == nil && first["list_id"] == nil)
        #expect(result.schema[JSONPointer("/properties/member/properties/merge_fields/properties/FNAME/type")] == .string("string"))
    }

    @Test("mailchimp-campaigns: OAuth2RefreshCode as a bearer token; the end condition ends at page 2")
    func campaigns() async throws {
        let input = PreviewInput(authType: "OAuth2RefreshCode", auth: ["domain": "us21", "accessToken": Self.sample.mailchimpAccessToken])
        let result = try await Self.run(try Self.example("mailchimp-campaigns"), input)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.pages == 2)
        #expect(result.recordCount == 120)
    }

    @Test("acme-orders: CONTINUATION_TOKEN in 5 pages; a window sends scheduleParams in their format and narrows the orders")
    func orders() async throws {
        let all = try await Self.run(try Self.example("acme-orders"), Self.acme)
        #expect(all.diagnostics.isEmpty, "\(all.diagnostics)")
        #expect(all.pages == 5)
        #expect(all.recordCount == 230)
        #expect(all.requests.dropFirst().first?.hasSuffix("/v2/orders?cursor=c50") == true, "\(all.requests)")

        var windowed = Self.acme
        windowed.window = ScheduleWindow(start: UTCInstant(rfc3339: "2024-01-02T01:00:00+01:00")!, end: UTCInstant(rfc3339: "2024-01-03T00:00:00Z")!)
        let day = try await Self.run(try Self.example("acme-orders"), windowed)
        #expect(day.recordCount == 24)
        #expect(day.requests.first?.contains("updated_after=2024-01-02T00%3A00%3A00Z&updated_before=2024-01-03T00%3A00%3A00Z") == true, "\(day.requests)")
    }

    @Test("CONTINUATION_TOKEN with parameterType HEADERPARAM sends the token as a header")
    func tokenInHeader() async throws {
        let spec = try Self.acmeVariant(path: "/v2/orders", contentPath: "$.orders", pagination: #"""
            {"type": "CONTINUATION_TOKEN", "continuationTokenPath": "$.next", "parameterType": "HEADERPARAM", "parameterName": "X-Cursor"}
            """#)
        let result = try await Self.run(spec, Self.acme)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.pages == 5)
        #expect(result.recordCount == 230)
        #expect(result.requests.allSatisfy { $0.hasSuffix("/v2/orders") }, "\(result.requests)")
    }

    @Test("POINTER follows the absolute next link, sent to the origin")
    func pointer() async throws {
        let spec = try Self.acmeVariant(path: "/v2/customers", contentPath: "$.data",
                                        pagination: #"{"type": "POINTER", "limitName": "limit", "limitValue": "25", "pointerPath": "$.paging.next"}"#)
        let result = try await Self.run(spec, Self.acme)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.pages == 3)
        #expect(result.recordCount == 75)
        #expect(result.requests.dropFirst().first?.hasSuffix("/v2/customers?after=25&limit=25") == true, "\(result.requests)")
    }

    @Test("PAGE counts pages from initialPageIndex until $.hasMore is false; NONE fetches once")
    func pageAndNone() async throws {
        let paged = try Self.acmeVariant(path: "/v2/products", contentPath: "$.products", pagination: #"""
            {"type": "PAGE", "limitName": "per_page", "limitValue": "40", "pageParamName": "page", "initialPageIndex": 1,
             "endConditionName": "$.hasMore", "endConditionValue": "Const:false"}
            """#)
        let products = try await Self.run(paged, Self.acme)
        #expect(products.diagnostics.isEmpty, "\(products.diagnostics)")
        #expect(products.pages == 3)
        #expect(products.recordCount == 95)
        #expect(products.requests.last?.hasSuffix("per_page=40&page=3") == true)

        let stores = try await Self.run(try Self.acmeVariant(path: "/v2/stores", contentPath: "$.stores", pagination: #"{"type": "NONE"}"#), Self.acme)
        #expect(stores.diagnostics.isEmpty, "\(stores.diagnostics)")
        #expect(stores.pages == 1)
        #expect(stores.recordCount == 3)
    }

    @Test("explodeEntityPath makes one record per activity, beside its recipient's other members, each shaped")
    func explode() async throws {
        let spec = try Self.variant(of: "mailchimp-campaigns", [
            "urlParams": #"{"host": "https://${domain}.api.mailchimp.com", "path": "/3.0/reports/${campaignId}/email-activity", "method": "GET"}"#,
            "contentPath": #"{"path": "$.emails", "skipAttributes": ["list_id"], "overrideWrapperAttribute": "email"}"#,
            "explodeEntityPath": #"{"path": "$.email.activity", "keepAttributes": ["action", "type", "timestamp"]}"#,
            "paginationParams": #"{"type": "OFFSET", "limitName": "count", "limitValue": "10", "offSetName": "offset", "endConditionName": "$.hasMore", "endConditionValue": "Const:false"}"#,
        ])
        let input = PreviewInput(authType: "OAuth2RefreshCode", auth: ["domain": "us21", "accessToken": Self.sample.mailchimpAccessToken], params: ["campaignId": "c0001"])
        let result = try await Self.run(spec, input)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.pages == 3)
        // 25 recipients with 1, 2, 3, 1, 2, 3, … actions.
        #expect(result.recordCount == (0..<25).map { $0 % 3 + 1 }.reduce(0, +))
        #expect(result.sample[1] == (try JSONParser().parse(#"""
            {"email": {"campaign_id": "c0001", "email_id": "e0001", "email_address": "member0001@example.com"},
             "action": "open", "type": "", "timestamp": "2024-01-01T01:00:00Z"}
            """#)))
        #expect(result.sample[2][JSONPointer("/action")] == .string("click"))
    }

    @Test("POST sends bodyParams with ${var} filled; queryParams as documented name=value text")
    func postAndQueryText() async throws {
        let search = try Self.variant(of: "acme-orders", [
            "urlParams": #"{"host": "https://${domain}.acme.example", "path": "/v2/orders/search", "method": "POST"}"#,
            "bodyParams": #"{"customer_id": "${customerId}"}"#,
            "paginationParams": #"{"type": "NONE"}"#,
        ])
        var input = Self.acme
        input.params["customerId"] = "cus-0001"
        let found = try await Self.run(search, input)
        #expect(found.diagnostics.isEmpty, "\(found.diagnostics)")
        #expect(found.recordCount == 4, "orders 1, 76, 151 and 226")
        #expect(found.requests.count == 1)
        #expect(found.requests.first?.hasPrefix("POST ") == true)

        let stores = try Self.variant(of: "acme-orders", [
            "urlParams": #"{"host": "https://${domain}.acme.example", "path": "/v2/stores", "method": "GET", "queryParams": "exclude_fields=stores._links,region=${region}"}"#,
            "contentPath": #""$.stores""#,
            "paginationParams": #"{"type": "NONE"}"#,
        ])
        input.params["region"] = "eu west"
        let listed = try await Self.run(stores, input)
        #expect(listed.recordCount == 3, "\(listed.diagnostics)")
        #expect(listed.requests.first?.hasSuffix("/v2/stores?exclude_fields=stores._links&region=eu%20west") == true, "\(listed.requests)")
    }

    @Test("a server that never answers ends at the deadline with a diagnostic, not a hang")
    func deadline() async throws {
        let silent = try SilentListener()
        defer { silent.stop() }
        let result = await SourceRuntime.run(
            spec: try Self.example("acme-orders"), input: Self.acme, origin: "http://127.0.0.1:\(silent.port)",
            limits: PreviewLimits(deadline: .seconds(1)))
        #expect(result.diagnostics.map(\.code) == ["deadline"])
        #expect(result.diagnostics.first?.message == "the preview's deadline (1.0 seconds) passed while fetching page 1")
        #expect(result.pages == 0)
    }

    @Test("trap: a response without the content path says what it has instead")
    func wrongContentPath() async throws {
        var input = Self.mailchimpBasic
        input.params["listId"] = "renamed-list"
        let result = try await Self.run(try Self.example("mailchimp-members"), input)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == "content-path-no-match")
        #expect(diagnostic.message == "contentPath $.members matched nothing on page 1; the response's top-level keys are data, paging")
        #expect(diagnostic.pointer == JSONPointer("/sourceSpec/attributes/contentPath/path"))
        #expect(result.hasErrors)
    }

    @Test("trap: a last page served again is a pagination that never ends, stopped at the repeat")
    func repeatingLastPage() async throws {
        var input = Self.mailchimpBasic
        input.params["listId"] = "stuck-list"
        let result = try await Self.run(try Self.example("mailchimp-members"), input)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == "pagination-repeats", "\(result.diagnostics)")
        #expect(diagnostic.page == 4)
        #expect(diagnostic.message.contains("page 4 is the same as page 3: the OFFSET pagination never ends"))
        #expect(result.pages == 3)
    }

    @Test("trap: a cursor that repeats is stopped with a diagnostic")
    func repeatingCursor() async throws {
        let spec = try Self.acmeVariant(path: "/v2/orders-stuck", contentPath: "$.orders", pagination: #"""
            {"type": "CONTINUATION_TOKEN", "continuationTokenPath": "$.next", "parameterType": "QUERYPARAM", "parameterName": "cursor"}
            """#)
        let result = try await Self.run(spec, Self.acme)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == "pagination-cursor-repeats")
        #expect(diagnostic.message.contains("continuation token 'c200', which was already fetched"))
        #expect(result.recordCount == 230)
    }

    @Test("a ${var} without input, a refused credential and --max-pages each say what happened")
    func inputsAndBounds() async throws {
        var noList = Self.mailchimpBasic
        noList.params = [:]
        let missing = try await Self.run(try Self.example("mailchimp-members"), noList)
        #expect(missing.diagnostics.map(\.message) == ["${listId} has no value in the input's params"])
        #expect(missing.diagnostics.first?.pointer == JSONPointer("/sourceSpec/attributes/urlParams/path"))
        #expect(missing.requests.isEmpty)

        var wrong = Self.acme
        wrong.auth["password"] = "not-the-password"
        let refused = try await Self.run(try Self.example("acme-orders"), wrong)
        #expect(refused.diagnostics.first?.code == "auth-refused")
        #expect(refused.diagnostics.first?.message.contains("answered 401") == true)

        let bounded = try await Self.run(try Self.example("acme-orders"), Self.acme, limits: PreviewLimits(maxPages: 2))
        #expect(bounded.pages == 2)
        #expect(bounded.recordCount == 100)
        #expect(bounded.diagnostics.map(\.code) == ["max-pages"])
        #expect(!bounded.hasErrors)

        let few = try await Self.run(try Self.example("acme-orders"), Self.acme, limits: PreviewLimits(maxRecords: 120))
        #expect(few.recordCount == 120)
        #expect(few.pages == 3)
        #expect(few.diagnostics.map(\.code) == ["max-records"])

        let wrongType = try await Self.run(try Self.example("acme-orders"), PreviewInput(authType: "OAuth2RefreshCode", auth: ["accessToken": "x"]))
        #expect(wrongType.diagnostics.first?.message == "the input's auth type OAuth2RefreshCode is not in the spec; the spec's authSpec types are BasicAuthentication")
    }
}
