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
import SpecSyncCore
import SpecSyncJSON

/// `/__emulator/…`: no authentication, not counted, never faulted. For tests in another process
/// and for demos to look inside and steer the emulator.
struct ControlRoutes: Sendable {
    let configuration: EmulatorConfiguration
    let store: SpecStore
    let flxpointStore: FlxpointStore
    let versoriStore: VersoriStore
    let faults: FaultInjector
    let verificationStore: VerificationStore

    func handle(_ request: EmulatorRequest, path: [String]) async -> EmulatorReply {
        switch (request.method, path) {
        case (.get, ["health"]):
            return .json(.ok, .object(JSONObject(["status": .string("ok")])))
        case (.get, ["statistics"]):
            return .encoded(.ok, await store.statistics())
        case (.get, ["connectionSpecs"]):
            return .json(.ok, .object(JSONObject(["items": .array(await store.connectionSpecs())])))
        case (.get, ["flowSpecs"]):
            return .json(.ok, .object(JSONObject(["items": .array(await store.flowSpecs())])))
        case (.get, ["flxpointConnections"]):
            // Unmasked: this is what the account stores, not what its API shows.
            let unmasked = FlxpointPresentation(secretMarkers: [])
            return .json(.ok, .array(await flxpointStore.connections().map(unmasked.present)))
        case (.get, let path) where path.count == 2 && path[0] == "versoriConnections":
            return .json(.ok, .array(await versoriStore.connections(connector: path[1]).map(\.json)))
        case (.get, ["faults"]):
            return .encoded(.ok, await faults.plan)
        case (.post, ["faults"]):
            let plan: FaultPlan
            do {
                plan = try JSONDecoder().decode(FaultPlan.self, from: Data(request.body))
            } catch {
                return EmulatorError.badRequest("The body must be a JSON FaultPlan: \(error)", code: "EMU-0001-400")
                    .reply(requestID: request.requestID)
            }
            if let problem = plan.problem {
                return EmulatorError.badRequest(problem, code: "EMU-0001-400").reply(requestID: request.requestID)
            }
            await faults.replace(plan)
            return .encoded(.ok, plan)
        case (.get, ["verification"]), (.post, ["verification"]):
            return await verificationControl(request)
        case (.post, ["reset"]):
            // A reset also puts the configured fault plan back, with its generator restarted.
            await store.reset()
            await flxpointStore.reset()
            await versoriStore.reset()
            await verificationStore.reset()
            await faults.replace(configuration.faults)
            return .empty(.noContent)
        default:
            return EmulatorError.platform(
                status: 404, code: "EMU-0002-404", title: "Unknown control route",
                detail: "Control routes: GET health, statistics, connectionSpecs, flowSpecs, flxpointConnections, "
                    + "versoriConnections/{connector}, faults, verification; POST faults, verification, reset."
            ).reply(requestID: request.requestID)
        }
    }
}
