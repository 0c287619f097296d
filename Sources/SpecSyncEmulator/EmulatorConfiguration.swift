/// How one emulator instance behaves: where it listens, which credentials it accepts, and which
/// deviations from a perfect network it injects. A value, so a test can describe a scenario up front.
public struct EmulatorConfiguration: Sendable {
    /// Loopback by default: the emulator holds no secrets worth protecting, but it should not be
    /// reachable from other machines by accident.
    public var host = "127.0.0.1"
    /// 0 asks the kernel for an ephemeral port; read the bound one from `FlowServiceEmulator.port`.
    public var port = 0
    /// HTTPS (with or without HTTP/2) instead of cleartext HTTP/1.1; nil for cleartext.
    public var tls: EmulatorTLS? = nil
    /// The only client (and `x-api-key`) IMS accepts.
    public var clientID = "specsync-emulator"
    public var clientSecret = "emulator-secret"
    /// The only organization the gateway accepts in `x-gw-ims-org-id`.
    public var orgID = "EMULATOR0000000000000000@AdobeOrg"
    /// The only sandbox accepted in `x-sandbox-name`.
    public var sandbox = "prod"
    /// How long an issued access token stays valid; IMS reports it as `expires_in` in seconds.
    public var tokenLifetime: Duration = .seconds(86_400)
    /// Added to every Flow Service request before it is handled, to make timing visible.
    public var latency: Duration = .zero
    /// Flow Service requests admitted per second before a 429 (a token bucket refilled at this rate
    /// with a burst of as many; see `FlowServiceRateLimiter`); nil: no limit.
    public var rateLimit: Int? = nil
    /// Throttling, server errors and lost responses, decided per request from a seeded generator.
    public var faults = FaultPlan()
    /// Some documented examples answer a create with `{"items":[spec]}` instead of the bare spec.
    public var wrapCreateResponse = false
    /// Some responses show `sourceSpec.attributes.contentPath` `{path: …}` as the bare path string.
    /// Only responses are reshaped; what is stored stays as it was sent.
    public var contentPathAsString = false
    /// Items per page of a listing that names no `limit`; the real service pages too, so a
    /// client that reads only the first page misses specs. Kept small on purpose.
    public var listPageSize = 50
    /// The largest `limit` a listing accepts; more is a 400.
    public var maximumPageSize = 1000
    /// How `GET /connectionSpecs/{id}` answers for a spec that does not exist: the platform's
    /// 404 (documented), the gateway's 404 shape, or a 200 with an empty `items`, all seen from
    /// Adobe's services.
    public var missingSpecAnswer = MissingSpecAnswer.platform404
    /// How many specs of Adobe's catalogue (another client and org, names not unique) every
    /// listing shows besides the org's own, as a real org's does; 0 for an empty sandbox.
    public var catalogueSize = 0

    /// `X-API-TOKEN` values Flxpoint accepts.
    public var flxpointTokens: Set<String> = ["flxpoint-emulator-token"]
    /// A config handle whose lowercase form contains one of these is a secret: stored as sent,
    /// shown as "********" in every response, as the Flxpoint UI and API do.
    public var flxpointSecretHandleMarkers = ["password", "secret", "token", "apikey", "api_key"]
    /// Flxpoint's documented limit, per token, over a sliding second.
    public var flxpointRequestsPerSecond = 2
    /// API keys Versori accepts as `Authorization: Bearer <key>`.
    public var versoriAPIKeys: Set<String> = ["versori-emulator-key"]
    /// The only organisation id Versori knows; any other is a 404.
    public var versoriOrganisation = "emulator-org"
    /// Connector ids that exist; nil means every connector id exists (with no connections yet).
    public var versoriConnectors: Set<String>? = nil
    /// Runs specs for the verification endpoints (test, explore, flow runs).
    public var sourceProbe: any SourceProbe = RuntimeSourceProbe()

    public init() {}
}
