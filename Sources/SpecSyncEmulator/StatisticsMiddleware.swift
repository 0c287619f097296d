import Hummingbird
import Logging

/// Counts each answered (or lost) request under "METHOD kind STATUS" in `EmulatorStatistics`;
/// `kind` names the route ("connectionSpec", "flxpointConnections", "unknown").
struct StatisticsMiddleware: RouterMiddleware {
    typealias Context = EmulatorRequestContext

    let store: SpecStore
    let kind: String
    /// Whether a successful POST or PUT here counts as a write (Flow Service's specs).
    let countsWrites: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            await record(request, response, dropped: false, context: context)
            return response
        } catch let lost as LostAnswer {
            await record(request, lost.response, dropped: true, context: context)
            throw lost
        }
    }

    private func record(_ request: Request, _ response: Response, dropped: Bool, context: Context) async {
        let isWrite = countsWrites && (request.method == .post || request.method == .put) && (200..<300).contains(response.status.code)
        await store.record(method: request.method.rawValue, kind: kind, status: response.status.code, isWrite: isWrite, dropped: dropped)
        // An HTTP/2 request arrives on a stream channel whose parent is the TCP connection (whose
        // parent is the listening socket); an HTTP/1.1 request on the connection itself.
        let isHTTP2 = context.channel.parent?.parent != nil
        let connection = isHTTP2 ? context.channel.parent : context.channel
        await store.recordTransport(httpVersion: isHTTP2 ? "HTTP/2" : "HTTP/1.1", remote: connection?.remoteAddress?.description)
        context.logger.debug(
            "emulator request",
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)",
                "http.status": "\(response.status.code)", "request.id": "\(context.requestID)",
                "fault.dropped": "\(dropped)",
            ])
    }
}
