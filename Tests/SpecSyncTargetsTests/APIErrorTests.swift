import Foundation
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncTestSupport
import Testing
@testable import SpecSyncTargets

@Suite("Error shapes, remote specs, secrets")
struct APIErrorTests {
    @Test("the gateway shape gives its code and message")
    func gateway() {
        let response = TransportResponse(status: 401, headers: [("x-request-id", "req-1")],
                                         body: Array(#"{"error_code":"401013","message":"Oauth token is not valid"}"#.utf8))
        let error = APIError.parse(method: "GET", url: "https://x/connectionSpecs/1", response: response)
        #expect(error.shape == .gateway)
        #expect(error.code == "401013")
        #expect(error.description == "GET https://x/connectionSpecs/1: HTTP 401 401013: Oauth token is not valid (request id req-1)")
    }

    @Test("the platform shape gives the code from its type, the title and detail, and the report's request id")
    func platform() {
        let body = #"{"type":"https://ns.adobe.com/aep/errors/FLOW-1101-404","title":"Not Found","status":404,"report":{"detailed-message":"Connection spec 'x' not found","request-id":"req-2"}}"#
        let error = APIError.parse(method: "PUT", url: "u", response: TransportResponse(status: 404, body: Array(body.utf8)))
        #expect(error.shape == .platform)
        #expect(error.code == "FLOW-1101-404")
        #expect(error.message == "Not Found: Connection spec 'x' not found")
        #expect(error.requestID == "req-2")
    }

    @Test("an empty or non-JSON body still gives the status")
    func unknownShape() {
        let error = APIError.parse(method: "GET", url: "u", response: TransportResponse(status: 502, body: Array("Bad gateway".utf8)))
        #expect(error.shape == .unknown)
        #expect(error.description == "GET u: HTTP 502: Bad gateway")
    }

    @Test("remote specs come bare or wrapped in items, with millisecond timestamps")
    func remoteSpecs() throws {
        let bare = try RemoteSpec.list(from: Array(#"{"id":"a","name":"A","createdAt":1633388930134,"updatedAt":1633389108018}"#.utf8))
        #expect(bare.map(\.id) == ["a"])
        #expect(bare.first?.updatedAt == 1_633_389_108_018)
        let wrapped = try RemoteSpec.list(from: Array(#"{"items":[{"id":"a"},{"id":"b","name":"B"}]}"#.utf8))
        #expect(wrapped.map(\.id) == ["a", "b"])
        #expect(throws: RemoteSpecError.self) { try RemoteSpec.list(from: Array(#"{"name":"no id"}"#.utf8)) }
    }

    @Test("secrets come from the credentials directory, a file or the environment, and never print")
    func secrets() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("s3cr3t-from-credential\n", to: "ims-client-secret")
        let file = try directory.write("s3cr3t-from-file", to: "other")
        let resolver = SecretResolver(environment: ["CREDENTIALS_DIRECTORY": directory.path, "IMS_SECRET": "s3cr3t-from-env"])
        #expect(try resolver.resolve(.credential("ims-client-secret")).value == "s3cr3t-from-credential")
        #expect(try resolver.resolve(.file(file.path)).value == "s3cr3t-from-file")
        let secret = try resolver.resolve(.environment("IMS_SECRET"))
        #expect(secret.value == "s3cr3t-from-env")
        #expect("\(secret)" == "(sensitive)")
        #expect(String(reflecting: secret) == "(sensitive)")
        #expect(!"\([secret])".contains("s3cr3t"))
        #expect(!"\(AccessToken(value: "tok3n", lifetime: .seconds(1)))".contains("tok3n"))
        let missing = try #require(throws: SecretError.self) { try resolver.resolve(.environment("NOPE")) }
        #expect(missing.description.contains("NOPE is not set"))
        let noDirectory = try #require(throws: SecretError.self) { try SecretResolver(environment: [:]).resolve(.credential("x")) }
        #expect(noDirectory.description.contains("CREDENTIALS_DIRECTORY"))
    }

    @Test("the read-only transport refuses every method but GET")
    func readOnly() async throws {
        struct Echo: HTTPTransport {
            func send(_ request: TransportRequest) async throws -> TransportResponse { TransportResponse(status: 200) }
        }
        let transport = ReadOnlyTransport(Echo())
        #expect(try await transport.send(TransportRequest(method: "GET", url: "u")).status == 200)
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            await #expect(throws: ReadOnlyViolation.self) { try await transport.send(TransportRequest(method: method, url: "u")) }
        }
    }
}
