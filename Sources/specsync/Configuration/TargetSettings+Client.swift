import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncTargets

extension TargetSettings {
    /// The client of this target's API, its secret read now: a missing setting or an unreadable
    /// secret fails here, before any request. `tokenTransport` carries IMS token requests (Flow
    /// Service), so a read-only transport can still authenticate.
    public func makeClient(
        environment: [String: String], transport: any HTTPTransport, tokenTransport: (any HTTPTransport)? = nil,
        observe: @escaping @Sendable (RequestEvent) -> Void = { _ in }, logger: Logger
    ) throws -> any SyncTarget {
        let prefix = "SPECSYNC_TARGETS_\(ConfigurationLoader.environmentName(name))_"
        func missing(_ key: String, _ help: String) -> ConfigurationError {
            ConfigurationError(source: nil, location: nil, message: "target '\(name)' needs \(kind.rawValue).\(key): \(help)")
        }
        switch kind {
        case .flowService:
            return try FlowServiceClient.make(
                settings: flowService, targetName: name, environment: environment, transport: transport,
                tokenTransport: tokenTransport, concurrency: flowService.concurrency, observe: observe, logger: logger)
        case .flxpoint:
            guard let reference = flxpoint.token else { throw missing("token", "{credential: NAME} | {env: NAME} | {file: PATH}") }
            return FlxpointClient(
                baseURL: flxpoint.baseURL, token: try SecretResolver(environment: environment).resolve(reference), transport: transport,
                requestsPerSecond: flxpoint.requestsPerSecond, concurrency: flxpoint.concurrency, observe: observe, logger: logger)
        case .versori:
            guard let organisation = versori.organisation else { throw missing("organisation", "the organisation id (or \(prefix)VERSORI_ORGANISATION)") }
            guard let reference = versori.apiKey else { throw missing("apiKey", "{credential: NAME} | {env: NAME} | {file: PATH}") }
            return VersoriClient(
                baseURL: versori.baseURL, organisation: organisation, apiKey: try SecretResolver(environment: environment).resolve(reference),
                transport: transport, concurrency: versori.concurrency.slots, pricedConcurrency: versori.concurrency.pricedConcurrency,
                pacer: versori.concurrency.pacer(requestsPerSecond: versori.requestsPerSecond),
                observe: observe, logger: logger)
        }
    }
}
