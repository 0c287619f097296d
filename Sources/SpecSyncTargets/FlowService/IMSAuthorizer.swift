/// Flow Service's identity on every call: an IMS access token plus the client, org and sandbox
/// headers. A refused token is forgotten, so the retry asks IMS for a new one.
struct IMSAuthorizer: RequestAuthorizing {
    let endpoint: FlowServiceEndpoint
    let tokens: any AccessTokenProvider

    func authorize() async throws -> Authorization {
        let token = try await tokens.token()
        return Authorization(headers: [
            ("Authorization", "Bearer \(token.value)"), ("x-api-key", endpoint.clientID),
            ("x-gw-ims-org-id", endpoint.orgID), ("x-sandbox-name", endpoint.sandbox),
        ], token: token)
    }

    func refused(_ authorization: Authorization) async -> Bool {
        guard let token = authorization.token else { return false }
        await tokens.invalidate(token)
        return true
    }
}
