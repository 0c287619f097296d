import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// `POST /ims/token/v3`: the OAuth server-to-server grant, answered as Adobe IMS answers it.
struct IMSRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let tokens: TokenRegistry
    let store: SpecStore

    /// Counted as "token", never delayed or faulted: IMS is not what the faults emulate.
    func add(to router: Router<EmulatorRequestContext>, stacks: MiddlewareStacks) {
        stacks.counted(router.group("ims/token/v3"), kind: "token").resource(
            methods: [.post: issue],
            otherwise: { _ in oauthError(.methodNotAllowed, "invalid_request", "use POST for the token endpoint") })
    }

    @Sendable func issue(_ request: EmulatorRequest) async -> EmulatorReply {
        // IMS takes the parameters as a form body; it also tolerates them in the query string.
        var parameters = request.query
        if request.hasContentType("application/x-www-form-urlencoded") {
            parameters += PercentDecoding.pairs(String(decoding: request.body, as: UTF8.self))
        } else if !request.body.isEmpty {
            return oauthError(
                .badRequest, "invalid_request", "send the parameters as application/x-www-form-urlencoded")
        }
        func parameter(_ name: String) -> String? { parameters.last { $0.name == name }?.value }

        guard let clientID = parameter("client_id"), !clientID.isEmpty else {
            return oauthError(.badRequest, "invalid_request", "missing client_id parameter")
        }
        guard clientID == configuration.clientID, parameter("client_secret") == configuration.clientSecret else {
            return oauthError(.unauthorized, "invalid_client", "invalid client_id or client_secret")
        }
        guard let grantType = parameter("grant_type") else {
            return oauthError(.badRequest, "invalid_request", "missing grant_type parameter")
        }
        guard grantType == "client_credentials" else {
            return oauthError(.badRequest, "unsupported_grant_type", "unsupported grant_type \(grantType)")
        }
        let token = await tokens.issue()
        await store.recordTokenIssued()
        return .json(.ok, .object(JSONObject([
            "access_token": .string(token),
            "token_type": .string("bearer"),
            "expires_in": .number(String(configuration.tokenLifetime.components.seconds)),
        ])))
    }

    private func oauthError(_ status: HTTPResponse.Status, _ code: String, _ description: String) -> EmulatorReply {
        .json(status, .object(JSONObject(["error": .string(code), "error_description": .string(description)])))
    }
}
