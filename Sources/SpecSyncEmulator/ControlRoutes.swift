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

    /// Under `/__emulator`: only the body limit; any other path or method is the control 404.
    func add(to router: Router<EmulatorRequestContext>) {
        let base = router.group("__emulator").add(middleware: BodyLimitMiddleware())
        let unknown: EmulatorEndpoint.Handler = { request in
            EmulatorError.platform(
                status: 404, code: "EMU-0002-404", title: "Unknown control route",
                detail: "Control routes: GET health, statistics, connectionSpecs, flowSpecs, flxpointConnections, "
                    + "versoriConnections/{connector}, faults, verification; POST faults, verification, reset."
            ).reply(requestID: request.requestID)
        }
        base.resource("health", methods: [.get: { _ in .json(.ok, .object(JSONObject(["status": .string("ok")]))) }], otherwise: unknown)
        base.resource("statistics", methods: [.get: { _ in .encoded(.ok, await store.statistics()) }], otherwise: unknown)
        base.resource("connectionSpecs", methods: [.get: { _ in .json(.ok, .object(JSONObject(["items": .array(await store.connectionSpecs())]))) }], otherwise: unknown)
        base.resource("flowSpecs", methods: [.get: { _ in .json(.ok, .object(JSONObject(["items": .array(await store.flowSpecs())]))) }], otherwise: unknown)
        base.resource("flxpointConnections", methods: [.get: { _ in
            // Unmasked: this is what the account stores, not what its API shows.
            let unmasked = FlxpointPresentation(secretMarkers: [])
            return .json(.ok, .array(await flxpointStore.connections().map(unmasked.present)))
        }], otherwise: unknown)
        base.resource("versoriConnections/{connector}", methods: [.get: { request in
            .json(.ok, .array(await versoriStore.connections(connector: request.parameters["connector"] ?? "").map(\.json)))
        }], otherwise: unknown)
        base.resource("faults", methods: [.get: { _ in .encoded(.ok, await faults.plan) }, .post: replaceFaults], otherwise: unknown)
        base.resource("verification", methods: [.get: verificationControl, .post: verificationControl], otherwise: unknown)
        base.resource("reset", methods: [.post: reset], otherwise: unknown)
        base.remainder(prefixes: ["versoriConnections"], unknown)
    }

    @Sendable private func replaceFaults(_ request: EmulatorRequest) async -> EmulatorReply {
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
    }

    /// A reset also puts the configured fault plan back, with its generator restarted.
    @Sendable private func reset(_ request: EmulatorRequest) async -> EmulatorReply {
        await store.reset()
        await flxpointStore.reset()
        await versoriStore.reset()
        await verificationStore.reset()
        await faults.replace(configuration.faults)
        return .empty(.noContent)
    }
}
