import Hummingbird

/// Versori's API key check (`Authorization: Bearer KEY`), first of the checks the service makes.
struct VersoriKeyMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let keys: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = Self.bearer(request.headers), keys.contains(key) else {
            return VersoriError(status: 401, code: "unauthorized", message: "missing or invalid API key").reply.response
        }
        return try await next(request, context)
    }

    private static func bearer(_ headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = parts[1].trimmingWhitespace()
        return key.isEmpty ? nil : key
    }
}
