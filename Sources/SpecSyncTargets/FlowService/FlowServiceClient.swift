#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncCore
import SpecSyncJSON

/// Adobe Flow Service connection and flow specs over HTTP: every required header, IMS tokens
/// (renewed once on a 401), retries with backoff, 429 Retry-After, optional pacing.
public struct FlowServiceClient: Sendable {
    public let endpoint: FlowServiceEndpoint
    let api: APIClient
    let concurrency: Int
    let pricedConcurrency: Int?

    /// `concurrency` is how many requests the engine may start; `pricedConcurrency`, when a pacer
    /// decides how many of those are sent (the adaptive limiter), what reads are priced at.
    public init(
        endpoint: FlowServiceEndpoint, transport: any HTTPTransport, tokens: any AccessTokenProvider,
        retry: RetryPolicy = RetryPolicy(), pacer: (any RequestPacing)? = nil, concurrency: Int = 64, pricedConcurrency: Int? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        observe: @escaping @Sendable (RequestEvent) -> Void = { _ in }, logger: Logger
    ) {
        self.endpoint = endpoint
        self.concurrency = concurrency
        self.pricedConcurrency = pricedConcurrency
        self.api = APIClient(
            service: "Flow Service", baseURL: endpoint.baseURL, transport: transport,
            authorizer: IMSAuthorizer(endpoint: endpoint, tokens: tokens), retry: retry, pacer: pacer, sleep: sleep,
            observe: observe, logger: logger)
    }

    /// Sends one request to Flow Service and returns a 2xx response, or throws RequestError.
    func send(_ method: String, _ path: String, query: String? = nil, body: [UInt8]? = nil, idempotent: Bool) async throws -> TransportResponse {
        try await api.send(method, path, query: query, body: body, idempotent: idempotent)
    }
}

extension FlowServiceClient {
    /// `POST /connectionSpecs`. Not idempotent: a lost answer throws `.outcomeUnknown`.
    public func createConnectionSpec(_ body: [UInt8]) async throws -> RemoteSpec {
        let response = try await send("POST", "/connectionSpecs", body: body, idempotent: false)
        return try single(response, "POST", "/connectionSpecs")
    }

    /// `PUT /connectionSpecs/{id}`: the body replaces the spec entirely.
    public func replaceConnectionSpec(id: String, body: [UInt8]) async throws -> RemoteSpec {
        let path = "/connectionSpecs/\(APIClient.escape(id))"
        return try single(try await send("PUT", path, body: body, idempotent: true), "PUT", path)
    }

    /// `GET /connectionSpecs/{id}`; nil when it does not exist, however the service says so: a 404
    /// in either error shape, or a 200 whose `items` is empty.
    public func connectionSpec(id: String) async throws -> RemoteSpec? {
        let path = "/connectionSpecs/\(APIClient.escape(id))"
        let response: TransportResponse
        do {
            response = try await send("GET", path, idempotent: true)
        } catch let error as RequestError where error.status == 404 {
            return nil
        }
        let specs: [RemoteSpec]
        do { specs = try RemoteSpec.list(from: response.body) } catch {
            throw RequestError.invalidResponse(method: "GET", url: endpoint.baseURL + path, reason: error.description)
        }
        guard let spec = specs.first else { return nil }
        guard spec.id == id else {
            throw RequestError.invalidResponse(method: "GET", url: endpoint.baseURL + path, reason: "asked for the spec \(id), the answer holds \(spec.id)")
        }
        return spec
    }

    /// Every spec with exactly `name`. The filter `property=name=="NAME"` is used only when the name
    /// means the same in every reading of the documented syntax; a name with a comma (OR), a quote,
    /// a backslash or an operator character, or with surrounding whitespace, is looked for in the
    /// whole listing instead: slower, never a guess. Names are compared exactly either way.
    public func connectionSpecs(named name: String) async throws -> [RemoteSpec] {
        let found: [RemoteSpec]
        if Self.filterExpressesExactly(name) {
            let query = "property=" + APIClient.escapeQuery("name==\"\(name)\"")
            found = try await pages(of: "/connectionSpecs", query: query)
        } else {
            api.logger.debug("name lookup reads the whole listing: the filter syntax cannot express the name exactly",
                             metadata: ["name": "\(name)"])
            found = try await pages(of: "/connectionSpecs", query: nil)
        }
        return found.filter { $0.name == name }
    }

    /// `GET /connectionSpecs`, every page: each connection spec the organisation sees, Adobe's own included.
    public func connectionSpecs() async throws -> [RemoteSpec] {
        try await pages(of: "/connectionSpecs", query: nil)
    }

    /// True when `property=name=="NAME"` can only mean "name equals NAME": no character the filter
    /// syntax gives a meaning to (`,` separates alternatives; quotes, backslashes and operators
    /// have no documented escape), no control characters, no whitespace a server might trim.
    static func filterExpressesExactly(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
              !first.properties.isWhitespace, !last.properties.isWhitespace else { return false }
        let special: Set<Unicode.Scalar> = [",", "\"", "\\", "=", "!", "<", ">", "~", "*", "%"]
        return !name.unicodeScalars.contains { special.contains($0) || $0.properties.generalCategory == .control }
    }

    func single(_ response: TransportResponse, _ method: String, _ path: String) throws -> RemoteSpec {
        do {
            guard let spec = try RemoteSpec.list(from: response.body).first else {
                throw RemoteSpecError(reason: "no spec in the answer")
            }
            return spec
        } catch {
            throw RequestError.invalidResponse(method: method, url: endpoint.baseURL + path, reason: "\(error)")
        }
    }
}

extension FlowServiceClient: SyncTarget {
    /// Listings page (`_links.next`), some tens of specs a page: a listing of thousands of recorded
    /// specs is many round trips in a row, where a few reads by id go side by side.
    public var ratePolicy: RatePolicy {
        RatePolicy(maxConcurrency: concurrency, listingItemsPerRequest: Self.listingPageEstimate, pricedConcurrency: pricedConcurrency)
    }

    /// Specs a listing page holds, as far as the client can tell: the service names no default.
    static let listingPageEstimate = 100

    public func create(_ body: ReplacementBody) async throws -> RemoteSpec { try await createConnectionSpec(body.canonicalBytes) }

    public func replace(id: String, with body: ReplacementBody) async throws -> RemoteSpec {
        try await replaceConnectionSpec(id: id, body: body.canonicalBytes)
    }

    public func read(id: String, bundle: BundleID) async throws -> RemoteSpec? { try await connectionSpec(id: id) }

    public func find(name: String, bundle: BundleID) async throws -> [RemoteSpec] { try await connectionSpecs(named: name) }

    public func list(bundles: [BundleID]) async throws -> [RemoteSpec]? { try await connectionSpecs() }

    /// Flow Service stamps `createdClient` (the `x-api-key`) and `imsOrgId` on every spec.
    public var owner: SpecOwner? { SpecOwner(clientID: endpoint.clientID, orgID: endpoint.orgID) }
}
