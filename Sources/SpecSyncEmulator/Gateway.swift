import HTTPTypes

/// What Adobe's API gateway checks before Flow Service sees a request, in the order it checks:
/// token, API key, organization, then the service's own sandbox and content-type rules.
struct Gateway: Sendable {
    let configuration: EmulatorConfiguration
    let tokens: TokenRegistry

    /// `takesBody`: whether the resource has the request's POST or PUT at all; when it does not,
    /// the content type is not checked, so the resource answers 405 rather than 415.
    func check(_ request: EmulatorRequest, takesBody: Bool = true) async -> EmulatorError? {
        guard let token = bearerToken(request), await tokens.isValid(token) else {
            return .gateway(status: 401, code: "401013", message: "Oauth token is not valid")
        }
        guard request.header("x-api-key") == configuration.clientID else {
            return .gateway(status: 403, code: "403003", message: "Api Key is invalid")
        }
        guard request.header("x-gw-ims-org-id") == configuration.orgID else {
            return .gateway(status: 403, code: "403025", message: "Profile is not valid")
        }
        guard let sandbox = request.header("x-sandbox-name"), !sandbox.isEmpty else {
            return .badRequest(
                "Missing required header x-sandbox-name; name the sandbox to work in (e.g. prod).",
                code: "FLOW-1104-400")
        }
        guard sandbox == configuration.sandbox else {
            return .badRequest(
                "Sandbox \(sandbox) does not exist in organization \(configuration.orgID) or is not accessible.",
                code: "FLOW-1104-400")
        }
        if takesBody, request.method == .post || request.method == .put, !request.hasContentType("application/json") {
            let sent = request.headers[.contentType] ?? "none"
            return .platform(
                status: 415, code: "FLOW-1105-415", title: "Unsupported media type",
                detail: "Content-Type \(sent) is not supported; send application/json.")
        }
        return nil
    }

    private func bearerToken(_ request: EmulatorRequest) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingWhitespace()
        return token.isEmpty ? nil : token
    }
}
