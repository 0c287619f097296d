import AsyncHTTPClient
import Logging
import SpecSyncCore
import SpecSyncEmulator
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
        let response = try await client.execute(request, timeout: .seconds(10))
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
}
