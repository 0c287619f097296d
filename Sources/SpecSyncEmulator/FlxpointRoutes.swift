import Hummingbird
import SpecSyncCore
import SpecSyncJSON

/// Flxpoint's `/connections` and `/connections/{id}`: list, create, read, full replacement, behind
/// the `X-API-TOKEN` check. There is no documented DELETE, so there is none here either.
struct FlxpointRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let store: FlxpointStore

    private var presentation: FlxpointPresentation {
        FlxpointPresentation(secretMarkers: configuration.flxpointSecretHandleMarkers)
    }

    /// The token a request presents, empty when none: what the rate limit is keyed by.
    static func token(of request: EmulatorRequest) -> String {
        request.header("X-API-TOKEN") ?? ""
    }

    func handle(_ request: EmulatorRequest, route: Route) async -> EmulatorReply {
        do throws(FlxpointError) {
            guard configuration.flxpointTokens.contains(Self.token(of: request)) else { throw .unauthorized }
            switch route {
            case .flxpointConnections: return try await collection(request)
            case .flxpointConnection(let id): return try await item(request, id: id)
            default: throw .notFound
            }
        } catch {
            return error.reply
        }
    }

    private func collection(_ request: EmulatorRequest) async throws(FlxpointError) -> EmulatorReply {
        switch request.method {
        case .get:
            return .json(.ok, .array(await store.connections().map(presentation.present)))
        case .post:
            let body = try FlxpointConnectionBody(validating: request.body)
            return .json(.ok, presentation.present(await store.create(body)))
        default:
            throw .methodNotAllowed(allowed: ["GET", "POST"])
        }
    }

    private func item(_ request: EmulatorRequest, id text: String) async throws(FlxpointError) -> EmulatorReply {
        guard request.method == .get || request.method == .put else {
            throw .methodNotAllowed(allowed: ["GET", "PUT"])
        }
        // Ids are integers; "abc" or "1.5" cannot name a connection.
        guard let id = Int(text) else { throw .notFound }
        if request.method == .get {
            guard let stored = await store.connection(id: id) else { throw .notFound }
            return .json(.ok, presentation.present(stored))
        }
        let body = try FlxpointConnectionBody(validating: request.body)
        guard let stored = await store.replace(id: id, with: body) else { throw .notFound }
        return .json(.ok, presentation.present(stored))
    }
}
