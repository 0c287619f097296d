import AsyncHTTPClient
import Logging
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// One answer from the emulator, read to the end.
struct Reply: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var bytes: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var requestID: String? { header("x-request-id") }

    var json: JSONValue {
        get throws { try JSONParser().parse(bytes) }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    subscript(pointer: String) -> JSONValue? {
        (try? json)?[JSONPointer(pointer)]
    }
}

/// A real HTTP client talking to a real emulator on a loopback port, with the headers Flow Service
/// wants filled in from the emulator's configuration (each can be overridden or removed).
struct EmulatorHarness: Sendable {
    let emulator: FlowServiceEmulator
    let client: HTTPClient
    let baseURL: String
    var configuration: EmulatorConfiguration { emulator.configuration }

    static let flowService = "/data/foundation/flowservice"
    static let flxpoint = "/flxpoint"
    static let versori = "/versori/api/connect/v1"

    /// Starts an emulator, runs `body` against it, shuts client and emulator down.
    static func run(
        _ configure: (inout EmulatorConfiguration) -> Void = { _ in },
        _ body: @Sendable (EmulatorHarness) async throws -> Void
    ) async throws {
        var configuration = EmulatorConfiguration()
        configure(&configuration)
        var logger = Logger(label: "emulator-test")
        logger.logLevel = .warning
        try await withFlowServiceEmulator(configuration, logger: logger) { emulator in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                let harness = EmulatorHarness(emulator: emulator, client: client, baseURL: try await emulator.baseURL)
                try await body(harness)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(Array(body.utf8)) }
        // Generous: a suite of 500 tests on two cores can keep the emulator's handlers waiting for a thread.
        let response = try await client.execute(request, timeout: .seconds(120))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            bytes: Array(buffer.readableBytesView))
    }

    /// Asks IMS for a token with the given (default: right) credentials.
    func tokenReply(clientID: String? = nil, secret: String? = nil, grantType: String = "client_credentials") async throws -> Reply {
        let form = [
            "client_id=\(clientID ?? configuration.clientID)",
            "client_secret=\(secret ?? configuration.clientSecret)",
            "grant_type=\(grantType)",
            "scope=openid%2CAdobeID%2Cread_organizations",
        ].joined(separator: "&")
        return try await send(
            "POST", "/ims/token/v3", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form)
    }

    func token() async throws -> String {
        let reply = try await tokenReply()
        #expect(reply.status == 200)
        return try #require(reply["/access_token"]?.stringValue)
    }

    /// The four Flow Service headers (plus Content-Type when there is a body), then `overrides`:
    /// an override with a nil value removes that header.
    func flow(
        _ method: String, _ path: String, body: String? = nil, token: String,
        overrides: [String: String?] = [:], extraHeaders: [(String, String)] = []
    ) async throws -> Reply {
        var headers: [String: String] = [
            "Authorization": "Bearer \(token)",
            "x-api-key": configuration.clientID,
            "x-gw-ims-org-id": configuration.orgID,
            "x-sandbox-name": configuration.sandbox,
        ]
        if body != nil { headers["Content-Type"] = "application/json" }
        for (name, value) in overrides { headers[name] = value }
        let ordered = headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + extraHeaders
        return try await send(method, Self.flowService + path, headers: ordered, body: body)
    }

    /// POST /connectionSpecs with a sample body; returns the created spec's id.
    func create(name: String, token: String, extra: String = "") async throws -> String {
        let reply = try await flow("POST", "/connectionSpecs", body: SampleBundle.spec(name: name, extra: extra), token: token)
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply["/id"]?.stringValue)
    }

    /// A Flxpoint request with `X-API-TOKEN: token` (nil sends none) and a JSON body when given.
    func flxpoint(_ method: String, _ path: String, body: String? = nil, token: String? = "flxpoint-emulator-token") async throws -> Reply {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let token { headers.append(("X-API-TOKEN", token)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await send(method, Self.flxpoint + path, headers: headers, body: body)
    }

    /// POST /connections with the given parts; returns the created connection's id.
    func createFlxpoint(name: String, type: String = "shopify", configs: [(String, String)] = []) async throws -> Int {
        let reply = try await flxpoint("POST", "/connections", body: Self.flxpointBody(name: name, type: type, configs: configs))
        #expect(reply.status == 200, "\(reply.text)")
        guard case .number(let id)? = reply["/id"], let value = Int(id) else {
            Issue.record("no integer id in \(reply.text)")
            return -1
        }
        return value
    }

    static func flxpointBody(name: String, type: String = "shopify", configs: [(String, String)]) -> String {
        let items = configs.map { #"{"handle":"\#($0.0)","value":"\#($0.1)"}"# }.joined(separator: ",")
        return #"{"connectionType":"\#(type)","name":"\#(name)","configs":[\#(items)]}"#
    }

    /// A Versori request with `Authorization: Bearer key` (nil sends none); `path` follows the
    /// organisation's connector path: "" for the collection, "/ID" for one connection.
    func versori(
        _ method: String, _ path: String = "", connector: String = "shopify", organisation: String? = nil,
        body: String? = nil, key: String? = "versori-emulator-key"
    ) async throws -> Reply {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let key { headers.append(("Authorization", "Bearer \(key)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let organisation = organisation ?? configuration.versoriOrganisation
        return try await send(
            method, Self.versori + "/o/\(organisation)/connectors/\(connector)/connections" + path, headers: headers, body: body)
    }

    /// POST a connection named `name`; returns its id.
    func createVersori(name: String, connector: String = "shopify", variables: [(String, String)] = []) async throws -> String {
        let items = variables.map { #"{"name":"\#($0.0)","value":"\#($0.1)"}"# }.joined(separator: ",")
        let body = #"{"name":"\#(name)","credentials":{"action":[]},"variables":[\#(items)]}"#
        let reply = try await versori("POST", connector: connector, body: body)
        #expect(reply.status == 200, "\(reply.text)")
        return try #require(reply["/id"]?.stringValue)
    }
}
