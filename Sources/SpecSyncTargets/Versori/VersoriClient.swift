#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncCore
import SpecSyncJSON

/// Versori connections over HTTP: `Authorization: Bearer`, one connector per bundle folder,
/// `GET/POST /o/{org}/connectors/{connector}/connections`, `GET/PUT/DELETE …/connections/{id}`.
/// A PUT always states `variables` (absent would keep the old ones) and carries the path id.
public struct VersoriClient: Sendable {
    let api: APIClient
    public let organisation: String
    let concurrency: Int
    let pricedConcurrency: Int?
    /// Connections listed per page while looking one up by name.
    static let pageSize = 100

    /// `concurrency` and `pricedConcurrency` as for `FlowServiceClient`.
    public init(
        baseURL: String, organisation: String, apiKey: Secret, transport: any HTTPTransport, concurrency: Int = 4,
        pricedConcurrency: Int? = nil, pacer: (any RequestPacing)? = nil, retry: RetryPolicy = RetryPolicy(),
        observe: @escaping @Sendable (RequestEvent) -> Void = { _ in }, logger: Logger
    ) {
        self.organisation = organisation
        self.concurrency = concurrency
        self.pricedConcurrency = pricedConcurrency
        api = APIClient(
            service: "Versori", baseURL: baseURL, transport: transport,
            authorizer: StaticKeyAuthorizer(header: "Authorization", prefix: "Bearer ", key: apiKey), retry: retry,
            pacer: pacer, observe: observe,
            emptyBodyMessage: { $0 == 401 ? "Versori refused the API key: check versori.apiKey" : nil }, logger: logger)
    }

    /// The connector a bundle belongs to: the folder its file is in.
    func collection(for bundle: BundleID) throws -> String {
        let parts = bundle.source.split(separator: "/")
        guard parts.count == 2 else {
            throw RequestError.invalidResponse(method: "-", url: api.baseURL, reason: "bundle '\(bundle)' is not <connector>/<name>; Versori connections live in one folder per connector")
        }
        return "/o/\(APIClient.escape(organisation))/connectors/\(APIClient.escape(String(parts[0])))/connections"
    }

    /// A connection (or a list's summary of one): its revision is the `updatedAt` string as sent.
    static func connection(_ value: JSONValue) throws(RemoteSpecError) -> RemoteSpec {
        guard case .object(let object) = value else { throw RemoteSpecError(reason: "expected a connection object, found \(value.kindName)") }
        guard case .string(let id)? = object["id"], !id.isEmpty else { throw RemoteSpecError(reason: "the connection has no id") }
        let updatedAt = object["updatedAt"]?.stringValue
        return RemoteSpec(
            id: id, name: object["name"]?.stringValue, createdAt: object["createdAt"]?.stringValue.flatMap(milliseconds),
            updatedAt: updatedAt.flatMap(milliseconds), revision: updatedAt, document: value)
    }

    /// RFC 3339 date-time → epoch milliseconds, for display and the state's `updatedAt`.
    static func milliseconds(_ text: String) -> Int64? {
        guard let date = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text)) else { return nil }
        // Checked: a date the parser accepts need not fit in epoch milliseconds.
        return Int64(exactly: (date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    func connection(_ response: TransportResponse, _ method: String, _ path: String) throws -> RemoteSpec {
        try api.decode(response, method, path, Self.connection)
    }

    /// `ConnectionUpdate`: the body with the path id, and `variables` always present.
    static func updateBody(_ body: ReplacementBody, id: String) -> [UInt8] {
        guard case .object(var object) = body.value else { return body.canonicalBytes }
        object["id"] = .string(id)
        if !object.contains("variables") { object["variables"] = .array([]) }
        return JSONValue.object(object).canonicalBytes
    }
}

extension VersoriClient: SyncTarget, SpecDeleting {
    public var ratePolicy: RatePolicy { RatePolicy(maxConcurrency: concurrency, pricedConcurrency: pricedConcurrency) }

    public func create(_ body: ReplacementBody) async throws -> RemoteSpec {
        let path = try collection(for: body.bundle)
        return try connection(try await api.send("POST", path, body: body.canonicalBytes, idempotent: false), "POST", path)
    }

    public func replace(id: String, with body: ReplacementBody) async throws -> RemoteSpec {
        let path = try collection(for: body.bundle) + "/" + APIClient.escape(id)
        return try connection(try await api.send("PUT", path, body: Self.updateBody(body, id: id), idempotent: true), "PUT", path)
    }

    public func read(id: String, bundle: BundleID) async throws -> RemoteSpec? {
        let path = try collection(for: bundle) + "/" + APIClient.escape(id)
        do {
            return try connection(try await api.send("GET", path, idempotent: true), "GET", path)
        } catch let error as RequestError where error.status == 404 {
            return nil
        }
    }

    /// Versori filters nothing yet: the connector's connections are paged through and matched here.
    public func find(name: String, bundle: BundleID) async throws -> [RemoteSpec] {
        let path = try collection(for: bundle)
        var found: [RemoteSpec] = []
        var cursor: String?
        var pages = 0
        repeat {
            pages += 1
            var query = "first=\(Self.pageSize)"
            if let cursor { query += "&after=" + APIClient.escapeQuery(cursor) }
            let page = try api.json(try await api.send("GET", path, query: query, idempotent: true), "GET", path)
            guard let items = page[JSONPointer("/items")]?.arrayValue else {
                throw RequestError.invalidResponse(method: "GET", url: api.baseURL + path, reason: "the page has no items")
            }
            for item in items where item[JSONPointer("/name")]?.stringValue == name {
                do {
                    found.append(try Self.connection(item))
                } catch {
                    throw RequestError.invalidResponse(method: "GET", url: api.baseURL + path, reason: error.reason)
                }
            }
            let next = page[JSONPointer("/next")]?.stringValue ?? ""
            guard next != cursor, pages < 10_000 else {
                throw RequestError.invalidResponse(method: "GET", url: api.baseURL + path, reason: "the list does not advance past cursor '\(next)'")
            }
            cursor = next.isEmpty ? nil : next
        } while cursor != nil
        return found
    }

    public func delete(id: String, bundle: BundleID) async throws {
        let path = try collection(for: bundle) + "/" + APIClient.escape(id)
        do {
            _ = try await api.send("DELETE", path, idempotent: true)
        } catch let error as RequestError where error.status == 404 {
            // Already gone: what prune wanted.
        }
    }
}
