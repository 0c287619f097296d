import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncSystemd
import Logging
import ServiceLifecycle
import UnixSignals
import SpecSyncCore
import SpecSyncEmulator

struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run the local Flow Service + IMS (+ Flxpoint, Versori) emulator (for the demo and tests; no accounts needed).",
        discussion: """
            Point a target at it with baseURL http://HOST:PORT/data/foundation/flowservice and imsURL \
            http://HOST:PORT, the emulator's client id, org and sandbox, and its client secret. Prints \
            "listening on http://HOST:PORT" once it accepts connections; SIGINT or SIGTERM stop it.

            --tls-certificate and --tls-key serve HTTPS instead (the URLs become https://), with \
            HTTP/2 and HTTP/1.1 offered by ALPN, or HTTP/1.1 only with --no-http2; a client trusts \
            the certificate's CA with http.caFile.

            Flxpoint lives at http://HOST:PORT/flxpoint (header X-API-TOKEN: the token from \
            --flxpoint-token-file, default "flxpoint-emulator-token"; 2 requests/s per token). \
            Versori lives at http://HOST:PORT/versori/api/connect/v1 (organisation --versori-org, \
            default "emulator-org"; Authorization: Bearer the key from --versori-key-file, default \
            "versori-emulator-key").

            Listings page like the real service's (--page-size items without a `limit`, then \
            `_links.next.href`), and --catalogue N adds N specs of Adobe's catalogue (another client \
            and org, names such as generic-rest-extension repeated) to every listing, as a real org \
            sees them; writes to them are refused with 403.

            --sample-api-port N also serves a sample third-party API (Mailchimp members and \
            campaigns, Acme orders, customers, products, stores: one endpoint per pagination type, \
            and traps) on a listener of its own, for specsync preview --origin; it prints "sample \
            API listening on http://HOST:PORT". Its credentials are in README ("Previewing a source").

            The verification endpoints (connection test, explore, flow runs) run a spec with the \
            source runtime of specsync preview: against the sample API when it is served, otherwise \
            against --source-origin or the host the spec names.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8787
    @Option(help: ArgumentHelp("Serve HTTPS with this certificate chain (PEM), offering HTTP/2 and HTTP/1.1 by ALPN; needs --tls-key.", valueName: "path"))
    var tlsCertificate: String?
    @Option(help: ArgumentHelp("The private key (PEM) of --tls-certificate.", valueName: "path")) var tlsKey: String?
    @Flag(help: "With --tls-certificate: offer HTTP/1.1 only, no HTTP/2.") var noHttp2 = false
    @Option(help: "Client id the emulator accepts.") var clientId = EmulatorConfiguration().clientID
    @Option(help: ArgumentHelp("File holding the client secret the emulator accepts (default: the built-in demo secret).", valueName: "path"))
    var clientSecretFile: String?
    @Option(help: "IMS org the emulator accepts.") var org = EmulatorConfiguration().orgID
    @Option(help: "Sandbox the emulator accepts.") var sandbox = EmulatorConfiguration().sandbox
    @Option(help: ArgumentHelp("File holding the X-API-TOKEN Flxpoint accepts (default: the built-in demo token).", valueName: "path"))
    var flxpointTokenFile: String?
    @Option(help: "Requests per second and token Flxpoint accepts before answering 429.")
    var flxpointRequestsPerSecond = EmulatorConfiguration().flxpointRequestsPerSecond
    @Option(help: ArgumentHelp("File holding the API key Versori accepts (default: the built-in demo key).", valueName: "path"))
    var versoriKeyFile: String?
    @Option(help: "Versori organisation id the emulator serves.") var versoriOrg = EmulatorConfiguration().versoriOrganisation
    @Option(help: "Lifetime of issued tokens, in seconds.") var tokenLifetime = 86_400
    @Option(help: "Latency added to every Flow Service request, in milliseconds.") var latency = 0
    @Option(help: ArgumentHelp(
        "Flow Service requests admitted per second, the rest answered 429 with Retry-After (a token bucket refilled at N a second with a burst of N; counted in the statistics as rateLimited).",
        valueName: "N"))
    var rateLimit: Int?
    @Option(help: "Fraction of Flow Service requests answered 502/503/504 without being applied.") var serverErrorRate = 0.0
    @Option(help: "Fraction of Flow Service requests applied but whose answer is lost.") var dropRate = 0.0
    @Option(help: "Fraction of Flow Service requests answered 429.") var throttleRate = 0.0
    @Option(help: "Retry-After of a 429, in seconds.") var retryAfter = 1
    @Option(help: "Consecutive requests answered 429 once a throttle fires (the first included).") var throttleBurst = 1
    @Option(help: "Fraction of Flow Service writes held for --late-write-delay, then applied even when their client has gone.") var lateWriteRate = 0.0
    @Option(help: "How long a held write waits before it is applied, in milliseconds.") var lateWriteDelay = 0
    @Option(help: "Seed of the fault generator.") var seed: UInt64 = 1
    @Option(help: "Items per listing page when a request names no limit.") var pageSize = EmulatorConfiguration().listPageSize
    @Option(help: ArgumentHelp("Specs of Adobe's catalogue (another client and org) to seed every listing with.", valueName: "count"))
    var catalogue = 0
    @Option(help: ArgumentHelp("Also serve the sample third-party API on this port (0: any free port).", valueName: "port"))
    var sampleAPIPort: Int?

    @Option(help: ArgumentHelp("Send the requests verification runs a spec with (connection test, explore, flow runs) to this origin instead of the host the spec names, keeping path and query (default with --sample-api-port: the sample API).", valueName: "url"))
    var sourceOrigin: String?
    @Option(name: .long, help: ArgumentHelp("Log level.", valueName: "level")) var logLevel: Logger.Level = .notice

    func run() async throws {
        LoggingSetup.bootstrap(level: logLevel)
        let logger = Logger(label: "specsync.emulator")
        var configuration = EmulatorConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.clientID = clientId
        switch (tlsCertificate, tlsKey) {
        case let (certificate?, key?): configuration.tls = EmulatorTLS(certificatePath: certificate, keyPath: key, http2: !noHttp2)
        case (nil, nil): if noHttp2 { throw CommandFailure("--no-http2 needs --tls-certificate and --tls-key: cleartext is HTTP/1.1 only") }
        default: throw CommandFailure("--tls-certificate and --tls-key go together")
        }
        if let clientSecretFile {
            configuration.clientSecret = try Self.secret(in: clientSecretFile)
        }
        configuration.orgID = org
        if let flxpointTokenFile {
            configuration.flxpointTokens = [try Self.secret(in: flxpointTokenFile)]
        }
        configuration.flxpointRequestsPerSecond = flxpointRequestsPerSecond
        if let versoriKeyFile {
            configuration.versoriAPIKeys = [try Self.secret(in: versoriKeyFile)]
        }
        configuration.versoriOrganisation = versoriOrg
        configuration.sandbox = sandbox
        configuration.tokenLifetime = .seconds(tokenLifetime)
        configuration.latency = .milliseconds(latency)
        guard pageSize >= 1, pageSize <= configuration.maximumPageSize else {
            throw CommandFailure("--page-size must be from 1 to \(configuration.maximumPageSize), not \(pageSize)")
        }
        guard catalogue >= 0 else { throw CommandFailure("--catalogue must be 0 or more, not \(catalogue)") }
        if let rateLimit, rateLimit < 1 { throw CommandFailure("--rate-limit must be 1 or more requests a second, not \(rateLimit)") }
        configuration.rateLimit = rateLimit
        configuration.listPageSize = pageSize
        configuration.catalogueSize = catalogue
        configuration.faults.seed = seed
        configuration.faults.serverErrorRate = serverErrorRate
        configuration.faults.dropRate = dropRate
        configuration.faults.throttleRate = throttleRate
        configuration.faults.retryAfterSeconds = retryAfter
        configuration.faults.throttleBurst = throttleBurst
        configuration.faults.lateWriteRate = lateWriteRate
        configuration.faults.lateWriteMilliseconds = lateWriteDelay
        if let problem = configuration.faults.problem { throw CommandFailure(problem) }

        let sampleAPI = sampleAPIPort.map { port in
            var sample = SampleAPIConfiguration()
            sample.host = host
            sample.port = port
            return SampleAPIServer(configuration: sample, logger: logger)
        }
        if let sourceOrigin {
            configuration.sourceProbe = RuntimeSourceProbe(origin: sourceOrigin)
        } else if let sampleAPI {
            // Verification runs the specs against the sample API unless told otherwise.
            configuration.sourceProbe = RuntimeSourceProbe(resolvingOrigin: { try? await sampleAPI.baseURL })
        }
        let emulator = FlowServiceEmulator(configuration: configuration, logger: logger)
        let services: [any Service] = [emulator] + (sampleAPI.map { [$0] } ?? [])
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let url = try await emulator.baseURL
                // Written straight to the descriptor: scripts wait for this line, so it must not sit in a buffer.
                StandardStream.output.write("listening on \(url)\n")
                if let sampleAPI {
                    StandardStream.output.write("sample API listening on \(try await sampleAPI.baseURL)\n")
                }
            }
            try await tasks.waitForAll()
        }
    }

    /// A secret file's content without the trailing newline editors add.
    private static func secret(in path: String) throws -> String {
        guard let secret = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure("cannot read \(path)")
        }
        return secret.trimmingWhitespaceAndNewlines()
    }
}
