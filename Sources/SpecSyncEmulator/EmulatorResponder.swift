#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif
import Hummingbird
import Logging
import NIOCore
import SpecSyncCore

/// Turns every request into a reply: reads the body, routes it, and for Flow Service, Flxpoint and
/// Versori routes adds what the real network adds (latency, throttling, server errors, lost
/// responses) around each service's checks and the service itself. Counts everything except
/// control routes.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    /// Specs are a few kilobytes; anything near this is a client bug worth a clear answer.
    static let maximumBodySize = 8 << 20

    let configuration: EmulatorConfiguration
    let store: SpecStore
    let faults: FaultInjector
    let gateway: Gateway
    let ims: IMSRoutes
    let connectionSpecs: ConnectionSpecRoutes
    let flowSpecs: FlowSpecRoutes
    let verification: VerificationRoutes
    let flxpoint: FlxpointRoutes
    let versori: VersoriRoutes
    let control: ControlRoutes

    /// Whose conventions a faulted answer follows.
    enum API {
        case flowService, flxpoint, versori
    }

    init(
        configuration: EmulatorConfiguration, store: SpecStore, flxpointStore: FlxpointStore, versoriStore: VersoriStore,
        tokens: TokenRegistry, faults: FaultInjector, verificationStore: VerificationStore
    ) {
        self.configuration = configuration
        self.store = store
        self.faults = faults
        gateway = Gateway(configuration: configuration, tokens: tokens)
        ims = IMSRoutes(configuration: configuration, tokens: tokens, store: store)
        connectionSpecs = ConnectionSpecRoutes(configuration: configuration, store: store)
        flowSpecs = FlowSpecRoutes(configuration: configuration, store: store)
        verification = VerificationRoutes(configuration: configuration, specs: store, store: verificationStore)
        flxpoint = FlxpointRoutes(configuration: configuration, store: flxpointStore)
        versori = VersoriRoutes(configuration: configuration, store: versoriStore)
        control = ControlRoutes(
            configuration: configuration, store: store, flxpointStore: flxpointStore, versoriStore: versoriStore,
            faults: faults, verificationStore: verificationStore)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let requestID = request.headers[.xRequestID].flatMap { $0.isEmpty ? nil : $0 } ?? UUID().uuidString.lowercased()
        let segments = request.uri.path.split(separator: "/").map { PercentDecoding.decode($0, plusAsSpace: false) }
        let route = Route(segments: segments)
        let query = request.uri.query.map(PercentDecoding.pairs) ?? []

        var body: [UInt8] = []
        var tooLarge = false
        do {
            var buffer = try await request.body.collect(upTo: Self.maximumBodySize)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            tooLarge = true
        }
        let emulatorRequest = EmulatorRequest(
            method: request.method, segments: segments, query: query, headers: request.headers, body: body,
            requestID: requestID)

        var reply: EmulatorReply
        var dropped = false
        if tooLarge {
            reply = EmulatorError.platform(
                status: 413, code: "FLOW-1108-413", title: "Payload too large",
                detail: "The request body exceeds \(Self.maximumBodySize) bytes."
            ).reply(requestID: requestID)
        } else {
            switch route {
            case .control(let path):
                reply = await control.handle(emulatorRequest, path: path)
                return finish(reply, requestID: requestID)
            case .imsToken:
                reply = await ims.handle(emulatorRequest)
            case .unknown:
                reply = EmulatorError.platform(
                    status: 404, code: "FLOW-1000-404", title: "Not found",
                    detail: "No API at \(request.uri.path); Flow Service lives under /data/foundation/flowservice."
                ).reply(requestID: requestID)
            case .flxpointConnections, .flxpointConnection, .otherFlxpoint:
                // The rate limit sees the request as it arrives, before any latency.
                if let retryAfter = await store.flxpointRequestArrived(token: FlxpointRoutes.token(of: emulatorRequest)) {
                    reply = .empty(.tooManyRequests)
                    reply.headers[.retryAfter] = String(retryAfter)
                } else {
                    (reply, dropped) = try await network(emulatorRequest, api: .flxpoint) {
                        await flxpoint.handle(emulatorRequest, route: route)
                    }
                }
            case .versoriConnections, .versoriConnection, .otherVersori:
                (reply, dropped) = try await network(emulatorRequest, api: .versori) {
                    await versori.handle(emulatorRequest, route: route)
                }
            default:
                await store.flowServiceRequestStarted()
                do {
                    (reply, dropped) = try await network(emulatorRequest, api: .flowService) {
                        await apply(emulatorRequest, route: route)
                    }
                    await store.flowServiceRequestFinished()
                } catch {
                    await store.flowServiceRequestFinished()
                    throw error
                }
            }
        }

        let isWrite = (request.method == .post || request.method == .put) && route.isFlowService
            && (200..<300).contains(reply.status.code)
        await store.record(
            method: request.method.rawValue, kind: route.kind, status: reply.status.code, isWrite: isWrite,
            dropped: dropped)
        context.logger.debug(
            "emulator request",
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)",
                "http.status": "\(reply.status.code)", "request.id": "\(requestID)",
                "fault.dropped": "\(dropped)",
            ])

        if dropped {
            // Close before anything is written: the client must see a transport error, not a
            // status line followed by a short body that a careless client might take as success.
            try? await context.channel.close(mode: .all)
        }
        return finish(reply, requestID: requestID)
    }

    /// Latency, then the fault decision, then (unless faulted) `apply`. Faults answer in the shape
    /// of the API asked: Adobe's, none at all for Flxpoint, Versori's `Error`.
    private func network(
        _ request: EmulatorRequest, api: API, apply: @escaping @Sendable () async -> EmulatorReply
    ) async throws -> (EmulatorReply, dropped: Bool) {
        if configuration.latency > .zero {
            try await Task.sleep(for: configuration.latency)
        }
        let decision = await faults.decide(isWrite: request.method == .post || request.method == .put)
        switch decision {
        case .throttle(let retryAfter):
            var reply: EmulatorReply
            switch api {
            case .flowService:
                reply = EmulatorError.gateway(status: 429, code: "429001", message: "Too many requests")
                    .reply(requestID: request.requestID)
            case .flxpoint:
                reply = .empty(.tooManyRequests)
            case .versori:
                reply = VersoriError(status: 429, code: "too_many_requests", message: "rate limit exceeded; retry later").reply
            }
            reply.headers[.retryAfter] = String(retryAfter)
            return (reply, false)
        case .serverError(let status, let platformBody):
            let title = [502: "Bad gateway", 503: "Service unavailable", 504: "Gateway timeout"][status] ?? "Server error"
            switch api {
            case .flowService where platformBody:
                let error = EmulatorError.platform(
                    status: status, code: "FLOW-1500-\(status)", title: title,
                    detail: "The service is temporarily unavailable; retry with backoff.")
                return (error.reply(requestID: request.requestID), false)
            case .flowService, .flxpoint:
                return (.empty(HTTPResponse.Status(code: status)), false)
            case .versori:
                let code = [502: "bad_gateway", 503: "unavailable", 504: "gateway_timeout"][status] ?? "internal"
                return (VersoriError(status: status, code: code, message: title.lowercased()).reply, false)
            }
        case .late(let delay):
            // An unstructured task: it runs to the end even when the connection's task is cancelled
            // because the client went away.
            let held = Task {
                try? await Task.sleep(for: delay)
                return await apply()
            }
            return (await held.value, false)
        case .drop, .none:
            let reply = await apply()
            return (reply, decision == .drop)
        }
    }

    private func apply(_ request: EmulatorRequest, route: Route) async -> EmulatorReply {
        do throws(EmulatorError) {
            // Only the collection of connection specs takes a POST; flow specs take no POST at all.
            let takesBody = switch route {
            case .connectionSpecs: request.method == .post
            case .connectionSpec, .flowSpec: request.method == .put
            case .verification(let path): request.method == .post && path.count == 1
            default: false
            }
            if let error = await gateway.check(request, takesBody: takesBody) { throw error }
            switch route {
            case .connectionSpecs: return try await connectionSpecs.collection(request)
            case .connectionSpec(let id): return try await connectionSpecs.item(request, id: id)
            case .flowSpecs: return try await flowSpecs.collection(request)
            case .flowSpec(let id): return try await flowSpecs.item(request, id: id)
            case .verification(let path): return try await verification.handle(request, path: path)
            default:
                throw EmulatorError.platform(
                    status: 404, code: "FLOW-1000-404", title: "Not found",
                    detail: "The emulator serves /connectionSpecs and /flowSpecs only.")
            }
        } catch {
            return error.reply(requestID: request.requestID)
        }
    }

    private func finish(_ reply: EmulatorReply, requestID: String) -> Response {
        var reply = reply
        reply.headers[.xRequestID] = requestID
        return reply.response
    }
}
