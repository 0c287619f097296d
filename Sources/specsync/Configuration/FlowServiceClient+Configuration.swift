import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncTargets

extension FlowServiceClient {
    /// A client for a configured target: checks the settings a request needs and reads the secret.
    public static func make(
        settings: FlowServiceSettings, targetName: String, environment: [String: String],
        transport: any HTTPTransport, tokenTransport: (any HTTPTransport)? = nil, concurrency: ConcurrencySetting,
        observe: @escaping @Sendable (RequestEvent) -> Void = { _ in }, logger: Logger
    ) throws -> FlowServiceClient {
        func missing(_ key: String, _ variable: String) -> ConfigurationError {
            ConfigurationError(source: nil, location: nil,
                               message: "target '\(targetName)' needs flowService.\(key) (or \(variable)) to talk to Flow Service")
        }
        let prefix = "SPECSYNC_TARGETS_\(ConfigurationLoader.environmentName(targetName))_FLOW_SERVICE_"
        guard let orgID = settings.orgId else { throw missing("orgId", prefix + "ORG_ID") }
        guard let clientID = settings.clientId else { throw missing("clientId", prefix + "CLIENT_ID") }
        guard let secretReference = settings.clientSecret else {
            throw ConfigurationError(source: nil, location: nil,
                                     message: "target '\(targetName)' needs flowService.clientSecret: {credential: NAME} | {env: NAME} | {file: PATH}")
        }
        let secret = try SecretResolver(environment: environment).resolve(secretReference)
        let tokens = IMSTokenProvider(
            credentials: .init(imsURL: settings.imsURL, clientID: clientID, clientSecret: secret, scopes: settings.scopes),
            transport: tokenTransport ?? transport, clock: ContinuousClock(), logger: logger)
        return FlowServiceClient(
            endpoint: FlowServiceEndpoint(baseURL: settings.baseURL, orgID: orgID, sandbox: settings.sandbox, clientID: clientID),
            transport: transport, tokens: tokens,
            pacer: concurrency.pacer(requestsPerSecond: settings.requestsPerSecond),
            concurrency: concurrency.slots, pricedConcurrency: concurrency.pricedConcurrency, observe: observe, logger: logger)
    }
}
