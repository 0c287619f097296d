import Logging
import SpecSyncCore
import SpecSyncJSON

/// Flxpoint connections over HTTP: `X-API-TOKEN`, integer ids, `GET/POST /connections`,
/// `GET/PUT /connections/{id}`. Every request waits for a slot of the token's window
/// (2 requests per second), so the limit holds on the client side; a 429 is retried anyway.
public struct FlxpointClient: Sendable {
    let api: APIClient
    let requestsPerSecond: Int
    let concurrency: Int

    public init(
        baseURL: String, token: Secret, transport: any HTTPTransport, requestsPerSecond: Int = 2, concurrency: Int = 2,
        retry: RetryPolicy = RetryPolicy(), observe: @escaping @Sendable (RequestEvent) -> Void = { _ in }, logger: Logger
    ) {
        self.requestsPerSecond = requestsPerSecond
        self.concurrency = concurrency
        api = APIClient(
            service: "Flxpoint", baseURL: baseURL, transport: transport,
            authorizer: StaticKeyAuthorizer(header: "X-API-TOKEN", key: token), retry: retry,
            pacer: RequestWindowLimiter(requests: requestsPerSecond, window: .seconds(1), clock: ContinuousClock()),
            observe: observe, emptyBodyMessage: Self.explain, logger: logger)
    }

    /// Flxpoint answers errors with empty bodies: say what each status means here.
    static func explain(_ status: Int) -> String? {
        switch status {
        case 401: "Flxpoint refused the X-API-TOKEN (wrong, revoked, or without Account-level privileges): check flxpoint.token"
        case 403: "the X-API-TOKEN lacks the privileges for this connection: Flxpoint needs an Account-level token"
        case 404: "Flxpoint has no connection with this id"
        case 429: "Flxpoint's limit of 2 requests per second per token was exceeded"
        default: nil
        }
    }

    /// The connection's revision: Flxpoint has no `updatedAt`, so a hash of what can be compared —
    /// the type, the name and the `{handle, value}` pairs — with the values it masks left out.
    static func revision(of document: JSONObject) -> String {
        var pairs: [(String, JSONValue)] = []
        for config in document["configs"]?.arrayValue ?? [] {
            guard case .object(let object) = config, case .string(let handle)? = object["handle"] else { continue }
            let masked = object["dataType"] == .string("password")
                || (object["value"]?.stringValue).map(ReplacementBodyBuilder.isMaskedValue) == true
            pairs.append((handle, masked ? .null : object["value"] ?? .null))
        }
        pairs.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        let comparable = JSONValue.object(JSONObject([
            "connectionType": document["connectionType"] ?? .null,
            "name": document["name"] ?? .null,
            "configs": .array(pairs.map { .object(JSONObject(["handle": .string($0.0), "value": $0.1])) }),
        ]))
        return "sha256:" + comparable.canonicalHash
    }

    static func connection(_ value: JSONValue) throws(RemoteSpecError) -> RemoteSpec {
        guard case .object(let object) = value else { throw RemoteSpecError(reason: "expected a connection object, found \(value.kindName)") }
        let id: String
        switch object["id"] {
        case .number(let literal)? where Int64(literal) != nil: id = literal
        default: throw RemoteSpecError(reason: "the connection has no integer id")
        }
        return RemoteSpec(id: id, name: object["name"]?.stringValue, revision: revision(of: object), document: value)
    }

    func connection(_ response: TransportResponse, _ method: String, _ path: String) throws -> RemoteSpec {
        try api.decode(response, method, path, Self.connection)
    }

    /// Flxpoint's ids are integers: anything else cannot name a connection (a state file edited
    /// by hand, or one written for another target), and is refused before any request.
    func path(of id: String, for method: String) throws -> String {
        guard Int64(id) != nil else {
            throw RequestError.invalidResponse(method: method, url: api.baseURL + "/connections/\(id)", reason: "'\(id)' is not a Flxpoint connection id (an integer)")
        }
        return "/connections/\(id)"
    }
}

extension FlxpointClient: SyncTarget {
    public var ratePolicy: RatePolicy {
        // More in flight than the window allows would only queue.
        // One listing is one request under the 2-a-second limit: worth it from two lookups on.
        RatePolicy(maxConcurrency: min(concurrency, requestsPerSecond), listingThreshold: 2)
    }

    public func create(_ body: ReplacementBody) async throws -> RemoteSpec {
        let response = try await api.send("POST", "/connections", body: body.canonicalBytes, idempotent: false)
        return try connection(response, "POST", "/connections")
    }

    public func replace(id: String, with body: ReplacementBody) async throws -> RemoteSpec {
        let path = try path(of: id, for: "PUT")
        return try connection(try await api.send("PUT", path, body: body.canonicalBytes, idempotent: true), "PUT", path)
    }

    public func read(id: String, bundle: BundleID) async throws -> RemoteSpec? {
        let path = try path(of: id, for: "GET")
        do {
            return try connection(try await api.send("GET", path, idempotent: true), "GET", path)
        } catch let error as RequestError where error.status == 404 {
            return nil
        }
    }

    /// Flxpoint has no name filter: the list is read and filtered here.
    public func find(name: String, bundle: BundleID) async throws -> [RemoteSpec] {
        try parse(try await connectionItems().filter { $0[JSONPointer("/name")]?.stringValue == name })
    }

    public func list(bundles: [BundleID]) async throws -> [RemoteSpec]? { try parse(try await connectionItems()) }

    /// `GET /connections`: every connection of the account, in one request.
    func connectionItems() async throws -> [JSONValue] {
        let document = try api.json(try await api.send("GET", "/connections", idempotent: true), "GET", "/connections")
        let items = document.arrayValue ?? document[JSONPointer("/data")]?.arrayValue ?? document[JSONPointer("/items")]?.arrayValue
        guard let items else {
            throw RequestError.invalidResponse(method: "GET", url: api.baseURL + "/connections", reason: "expected a list of connections, found \(document.kindName)")
        }
        return items
    }

    func parse(_ items: [JSONValue]) throws -> [RemoteSpec] {
        var found: [RemoteSpec] = []
        for item in items {
            do {
                found.append(try Self.connection(item))
            } catch {
                throw RequestError.invalidResponse(method: "GET", url: api.baseURL + "/connections", reason: error.reason)
            }
        }
        return found
    }
}
