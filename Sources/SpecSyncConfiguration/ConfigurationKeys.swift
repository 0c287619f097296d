import SpecSyncCore

/// The table of every configuration key, section by section, in the order the file documents them
/// (`Config/specsync.yaml`); the loader reads YAML and `SPECSYNC_…` variables through it.
///
/// A new section is a `static let` array of its own in a file of its own
/// (`ConfigurationKeys+Notifications.swift`), the settings it fills on `Configuration` (or
/// `TargetSettings`), and one more term in `global` (or `target`).
public enum ConfigurationKeys {
    public static let global: [ConfigurationKey<Configuration>] = repository + bundles + state + daemon + top

    public static let target: [ConfigurationKey<TargetSettings>] = targetKind + flowService + flxpoint + versori + targetPolicies

    /// Every variable the table knows, for the message of an unknown one.
    static var knownVariables: [String] {
        global.compactMap(\.variable) + target.compactMap { $0.variable.map { "SPECSYNC_TARGETS_<NAME>_" + $0 } }
    }

    static let repository: [ConfigurationKey<Configuration>] = [
        .init("repository.path", .path, doc: "the git repository (work tree or bare), opened as given") { configuration, value in
            configuration.repository.path = value.text
            configuration.repository.pathIsExplicit = true
        },
        .init("repository.ref", .string, doc: "the revision whose contents are the desired state") { $0.repository.ref = $1.text },
        .init("repository.url", .repositoryURL, doc: "a remote to clone and fetch instead of a local repository") { $0.repository.url = $1.text },
        .init("repository.credentials.username", .string, doc: "the user name sent to the remote") {
            $0.repository.credentials = $0.repository.credentials ?? GitCredentialSettings(username: "git")
            $0.repository.credentials?.username = $1.text
        },
        .init("repository.credentials.token", .secret, doc: "https: a token sent as basic auth") {
            $0.repository.credentials = $0.repository.credentials ?? GitCredentialSettings(username: "git")
            $0.repository.credentials?.token = $1.secret
        },
        .init("repository.credentials.sshKey.privateKey", .file, required: true, doc: "ssh: the private key file") {
            $0.repository.credentials = $0.repository.credentials ?? GitCredentialSettings(username: "git")
            $0.repository.credentials?.sshPrivateKey = $1.file
        },
        .init("repository.credentials.sshKey.publicKey", .file, doc: "ssh: the public key file") {
            $0.repository.credentials = $0.repository.credentials ?? GitCredentialSettings(username: "git")
            $0.repository.credentials?.sshPublicKey = $1.file
        },
        .init("repository.credentials.sshKey.passphrase", .secret, doc: "ssh: the private key's passphrase") {
            $0.repository.credentials = $0.repository.credentials ?? GitCredentialSettings(username: "git")
            $0.repository.credentials?.sshPassphrase = $1.secret
        },
        .init("repository.connectTimeout", .duration, doc: "how long a clone or fetch waits for the server's first answer") {
            $0.repository.connectTimeout = $1.duration!
        },
        .init("repository.inactivityTimeout", .duration, doc: "how long a clone or fetch may then receive nothing") {
            $0.repository.inactivityTimeout = $1.duration!
        },
        .init("repository.caFile", .file, doc: "https: the CA certificates to trust instead of the system's") { $0.repository.caFile = $1.file },
        .init("repository.knownHosts", .file, doc: "ssh: the known_hosts file host keys are checked against") { $0.repository.knownHosts = $1.file },
    ]

    static let bundles: [ConfigurationKey<Configuration>] = [
        .init("bundles.root", .string, doc: "the folder with one folder per connector") { $0.bundles.root = $1.text },
    ]

    static let state: [ConfigurationKey<Configuration>] = [
        .init("state.directory", .path, doc: "holds one state file per target") { $0.state.directory = $1.text },
        .init("state.backend", .choice(["file", "postgres"]), doc: "where the states are kept: file or postgres") {
            $0.state.backend = StateBackendKind(rawValue: $1.text) ?? .file
        },
        .init("state.postgres.url", .postgresURL, required: true, doc: "the shared state's database, postgres://user@host:port/database") {
            $0.state.postgres = $0.state.postgres ?? PostgresStateSettings(url: "")
            $0.state.postgres?.url = $1.text
        },
        .init("state.postgres.password", .secret, doc: "where the database password is read from") {
            $0.state.postgres = $0.state.postgres ?? PostgresStateSettings(url: "")
            $0.state.postgres?.password = $1.secret
        },
        .init("state.postgres.sslmode", .choice(PostgresStateSettings.sslModes), doc: "libpq's sslmode for the database connection") {
            $0.state.postgres = $0.state.postgres ?? PostgresStateSettings(url: "")
            $0.state.postgres?.sslMode = $1.text
        },
        .init("state.postgres.sslrootcert", .path, doc: "the CA certificates the database server is checked against") {
            $0.state.postgres = $0.state.postgres ?? PostgresStateSettings(url: "")
            $0.state.postgres?.sslRootCert = $1.text
        },
    ]

    static let daemon: [ConfigurationKey<Configuration>] = [
        .init("daemon.watch", .choice(DaemonSettings.RefWatch.allCases.map(\.rawValue)), doc: "how a local repository's ref is watched") {
            $0.daemon.watch = DaemonSettings.RefWatch(rawValue: $1.text)!
        },
        .init("daemon.pollInterval", .duration, doc: "how often a local repository's ref is re-read when it is polled") { $0.daemon.pollInterval = $1.duration! },
        .init("daemon.fetchInterval", .duration, doc: "how often a remote repository is fetched") { $0.daemon.fetchInterval = $1.duration! },
        .init("daemon.drift.interval", .durationOrOff, doc: "how often managed specs are compared with the remote") { $0.daemon.driftInterval = $1.duration },
        .init("daemon.drift.policy", .choice(DaemonSettings.DriftPolicy.allCases.map(\.rawValue)), doc: "what a drift check does with a difference") {
            $0.daemon.driftPolicy = DaemonSettings.DriftPolicy(rawValue: $1.text)!
        },
        .init("daemon.drift.maxHeals", .integer(1...1000), doc: "heals of one body before it is quarantined") { $0.daemon.maxHeals = $1.integer },
        .init("daemon.retry.base", .duration, doc: "the first pause before a failing bundle is tried again") { $0.daemon.retryBase = $1.duration! },
        .init("daemon.retry.max", .duration, doc: "the longest pause before a failing bundle is tried again") { $0.daemon.retryMax = $1.duration! },
        .init("daemon.http.enabled", .boolean, doc: "serve /healthz, /readyz, /metrics and /hooks/git") { $0.daemon.httpEnabled = $1.boolean },
        .init("daemon.http.host", .string, doc: "where the endpoints listen") { $0.daemon.httpHost = $1.text },
        .init("daemon.http.port", .integer(0...65535), doc: "the endpoints' port; 0 picks a free one") { $0.daemon.httpPort = $1.integer },
        .init("daemon.http.maxConnections", .integer(1...4096), doc: "connections served at once") { $0.daemon.httpMaxConnections = $1.integer },
        .init("daemon.http.requestHeadTimeout", .duration, doc: "how long a request's head may take") {
            $0.daemon.httpRequestHeadTimeout = $1.duration!
        },
        .init("daemon.http.webhookSecret", .secret, doc: "the git host's webhook secret") { $0.daemon.webhookSecret = $1.secret },
    ]

    /// Read after `targets`, which the loader reads itself (a mapping of names, each by `target`).
    static let top: [ConfigurationKey<Configuration>] = [
        .init("defaultTarget", .string, doc: "the target commands use without --target") { $0.defaultTarget = $1.text },
    ]

    /// Read first: it decides which kind's section the target may have.
    static let targetKind: [ConfigurationKey<TargetSettings>] = [
        .init("kind", .choice(TargetSettings.Kind.allCases.map(\.rawValue)), variable: false, doc: "the API the target talks to") {
            $0.kind = TargetSettings.Kind(rawValue: $1.text)!
        },
    ]

    static let flowService: [ConfigurationKey<TargetSettings>] = [
        .init("flowService.baseURL", .url, kind: .flowService, doc: "Flow Service's base URL") { $0.flowService.baseURL = $1.text },
        .init("flowService.imsURL", .url, kind: .flowService, doc: "Adobe IMS's base URL") { $0.flowService.imsURL = $1.text },
        .init("flowService.orgId", .string, kind: .flowService, doc: "the IMS organisation, <ORG>@AdobeOrg") { $0.flowService.orgId = $1.text },
        .init("flowService.sandbox", .string, kind: .flowService, doc: "the sandbox") { $0.flowService.sandbox = $1.text },
        .init("flowService.clientId", .string, kind: .flowService, doc: "the Developer Console client id") { $0.flowService.clientId = $1.text },
        .init("flowService.clientSecret", .secret, kind: .flowService, doc: "where the client secret is read from") {
            $0.flowService.clientSecret = $1.secret
        },
        .init("flowService.scopes", .strings, kind: .flowService, doc: "the IMS scopes asked for") { $0.flowService.scopes = $1.strings },
        .init("flowService.concurrency", Self.concurrency, kind: .flowService, doc: Self.concurrencyDoc) {
            $0.flowService.concurrency = Self.concurrency($1)
        },
        .init("flowService.requestsPerSecond", .number(0.01...10_000), kind: .flowService, doc: "an optional cap on requests per second") {
            $0.flowService.requestsPerSecond = $1.number
        },
        .init("flowService.flowSpecId", .string, kind: .flowService, doc: "the flow spec new specs are added to; off: none") {
            $0.flowService.flowSpecId = $1.text == "off" ? nil : $1.text
        },
        .init("flowService.flowSpecBundles", .stringMap, kind: .flowService, doc: "a bundle's own flow spec") {
            $0.flowService.flowSpecBundles = $1.map
        },
    ]

    static let flxpoint: [ConfigurationKey<TargetSettings>] = [
        .init("flxpoint.baseURL", .url, kind: .flxpoint, doc: "Flxpoint's base URL") { $0.flxpoint.baseURL = $1.text },
        .init("flxpoint.token", .secret, kind: .flxpoint, doc: "where the API token is read from") { $0.flxpoint.token = $1.secret },
        .init("flxpoint.requestsPerSecond", .integer(1...100), kind: .flxpoint, doc: "requests in any second, as Flxpoint counts them") {
            $0.flxpoint.requestsPerSecond = $1.integer
        },
        .init("flxpoint.concurrency", .integer(1...64), kind: .flxpoint, doc: "requests in flight at once") { $0.flxpoint.concurrency = $1.integer },
        .init("flxpoint.root", .string, kind: .flxpoint, doc: "the folder of the connections' files") { $0.flxpoint.root = $1.text },
    ]

    static let versori: [ConfigurationKey<TargetSettings>] = [
        .init("versori.baseURL", .url, kind: .versori, doc: "Versori's base URL") { $0.versori.baseURL = $1.text },
        .init("versori.organisation", .string, kind: .versori, doc: "the organisation id") { $0.versori.organisation = $1.text },
        .init("versori.apiKey", .secret, kind: .versori, doc: "where the API key is read from") { $0.versori.apiKey = $1.secret },
        .init("versori.requestsPerSecond", .number(0.01...10_000), kind: .versori, doc: "an optional cap on requests per second") {
            $0.versori.requestsPerSecond = $1.number
        },
        .init("versori.concurrency", Self.concurrency, kind: .versori, doc: Self.concurrencyDoc) { $0.versori.concurrency = Self.concurrency($1) },
        .init("versori.root", .string, kind: .versori, doc: "the folder of the connections' files") { $0.versori.root = $1.text },
    ]

    /// `concurrency: adaptive` or a fixed number of requests in flight.
    static let concurrency = ConfigurationValueType.integerOrWord(1...ConcurrencySetting.maximum, ConcurrencySetting.adaptiveWord)
    static let concurrencyDoc = "requests in flight at once; adaptive (the default): learnt from the answers, cut and paced on a 429"

    static func concurrency(_ value: ConfigurationValue) -> ConcurrencySetting {
        if case .integer(let count) = value { .fixed(count) } else { .adaptive }
    }

    static let targetPolicies: [ConfigurationKey<TargetSettings>] = [
        .init("onConflict", .choice(TargetSettings.ConflictPolicy.allCases.map(\.rawValue)), doc: "what to do with a spec changed outside git") {
            $0.onConflict = TargetSettings.ConflictPolicy(rawValue: $1.text)!
        },
        .init("unrecordedDifference", .choice(TargetSettings.UnrecordedDifferencePolicy.allCases.map(\.rawValue)),
              doc: "what to do with an unrecorded resource found by name that differs from git") {
            $0.unrecordedDifference = TargetSettings.UnrecordedDifferencePolicy(rawValue: $1.text)!
        },
        .init("prune.enabled", .boolean, doc: "delete or mark resources whose bundles left git") { $0.prune = $1.boolean },
        .init("prune.limit", .integer(0...10_000), doc: "at most this many prunes a pass") { $0.pruneLimit = $1.integer },
        .init("patches.all", .path, doc: "a JSON merge patch applied to every body") { $0.patchAll = $1.text },
        .init("patches.bundles", .pathMap, doc: "a JSON merge patch applied to one bundle's body") { $0.patchBundles = $1.map },
        .init("http.connectTimeout", .duration, doc: "opening a connection") { $0.http.connectTimeout = $1.duration! },
        .init("http.requestTimeout", .duration, doc: "one attempt of one request") { $0.http.requestTimeout = $1.duration! },
        .init("http.allowInsecureHTTP", .boolean, doc: "allow http:// to a host other than loopback") { $0.http.allowInsecureHTTP = $1.boolean },
        .init("http.caFile", .file, doc: "https: CA certificates to trust in addition to the system's") { $0.http.caFile = $1.file },
        .init("passDeadline", .duration, doc: "a pass starts no new write after this long") { $0.passDeadline = $1.duration! },
    ]
}
