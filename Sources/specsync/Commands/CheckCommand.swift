import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncGit
import SpecSyncJSON
import SpecSyncTargets

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that secrets, tokens, the API, flow specs and the repository work, before enabling the service.",
        discussion: """
            For each target (or the one --target names): every configured secret can be read (only \
            where it comes from is printed, never its value), a token is obtained (IMS for Flow \
            Service), one read-only request is answered, and the flow specs the configuration \
            assigns exist and are readable. Then the configured repository is opened and its ref \
            resolved. Nothing is written anywhere. One line per check; a failed check says what to do.

            Run it as the service would: under systemd the secrets come from \
            $CREDENTIALS_DIRECTORY, so by hand point CREDENTIALS_DIRECTORY at a folder holding \
            copies, or run it with systemd-run and the unit's LoadCredential= lines.

            Exit 0 when every check passed, 1 when any failed.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Check only this target (default: every configured target).", valueName: "name"))
    var target: String?

    /// The check's requests give up quickly: it answers "does it work", not "does it work eventually".
    static let retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(200), maxDelay: .seconds(1), maxRetryAfter: .seconds(2))

    func run() async throws {
        let format = try global.plainFormat("check")
        LoggingSetup.bootstrap(level: .error)
        let context = CommandContext.process
        let logger = Logger(label: "specsync")
        var results: [CheckResult] = []

        do {
            let configuration = try global.loadConfiguration(context: context)
            let targets: [TargetSettings]
            if let target {
                do { targets = [try configuration.target(named: target)] } catch {
                    throw CommandFailure(error.description)
                }
            } else {
                targets = configuration.targets
            }
            results.append(.ok(nil, "configuration", configuration.source.map { "read \($0)" } ?? "no configuration file: the defaults apply"))
            // The target's own HTTP settings; a refused connection fails at once (the transport does
            // not try to connect again until its deadline).
            for target in targets {
                let transport: AsyncHTTPTransport
                do {
                    transport = try AsyncHTTPTransport(settings: target.http, target: target.name, environment: context.environment)
                } catch {
                    throw CommandFailure("\(error)")
                }
                results += await Self.check(target, environment: context.environment, transport: transport, logger: logger)
            }
            results.append(await Self.checkRepository(configuration))
        } catch let failure as CommandFailure {
            results.append(.failed(nil, "configuration", failure.description, help: "fix the configuration, then run specsync check again"))
        }

        let failed = results.filter { $0.status == .failed }.count
        switch format {
        case .json:
            var object = JSONObject()
            object["formatVersion"] = .number("1")
            object["ok"] = .bool(failed == 0)
            object["failed"] = .number(String(failed))
            object["checks"] = .array(results.map(\.json))
            print(JSONValue.object(object).prettyPrinted())
        case .text:
            let style = global.style(context: context)
            for result in results { print(result.line(style: style)) }
            let summary = "\(results.count) check\(results.count == 1 ? "" : "s"), \(failed) failed"
            print(failed == 0 ? style.green(summary) : style.red(summary))
        }
        if failed > 0 { throw ExitCode.failure }
    }

    /// The secrets a target's configuration names, by the key that names them.
    static func secrets(of target: TargetSettings) -> [(key: String, reference: SecretReference?)] {
        switch target.kind {
        case .flowService: [("flowService.clientSecret", target.flowService.clientSecret)]
        case .flxpoint: [("flxpoint.token", target.flxpoint.token)]
        case .versori: [("versori.apiKey", target.versori.apiKey)]
        }
    }

    /// Secrets, then the token and one read, then the flow specs; a step that cannot run because
    /// an earlier one failed is skipped, so each problem is one failing line.
    static func check(_ target: TargetSettings, environment: [String: String], transport: any HTTPTransport, logger: Logger) async -> [CheckResult] {
        let name = target.name
        var results: [CheckResult] = []
        var resolved: [String: Secret] = [:]
        for (key, reference) in secrets(of: target) {
            guard let reference else {
                results.append(.failed(name, "secret", "\(key) is not configured",
                                       help: "set \(key): {credential: NAME} | {env: NAME} | {file: PATH} in the configuration"))
                continue
            }
            do {
                resolved[key] = try SecretResolver(environment: environment).resolve(reference)
                results.append(.ok(name, "secret", "\(key) is read from \(reference)"))
            } catch let error as SecretError {
                results.append(.failed(name, "secret", "\(key): the secret from \(reference) \(error.problem)", help: error.help))
            } catch {
                results.append(.failed(name, "secret", "\(key): \(error)", help: "check where \(key) points"))
            }
        }
        let readOnly = ReadOnlyTransport(transport)
        switch target.kind {
        case .flowService:
            results += await checkFlowService(target, secret: resolved["flowService.clientSecret"], transport: transport, readOnly: readOnly, logger: logger)
        case .flxpoint, .versori:
            guard resolved.count == secrets(of: target).count else {
                results.append(.skipped(name, "api", "not tried without the secret"))
                return results
            }
            results.append(await checkConnectionAPI(target, environment: environment, transport: readOnly, logger: logger))
        }
        return results
    }

    static func checkFlowService(_ target: TargetSettings, secret: Secret?, transport: any HTTPTransport, readOnly: any HTTPTransport, logger: Logger) async -> [CheckResult] {
        let name = target.name
        let settings = target.flowService
        let prefix = "SPECSYNC_TARGETS_\(ConfigurationLoader.environmentName(name))_FLOW_SERVICE_"
        var missing: [CheckResult] = []
        if settings.orgId == nil {
            missing.append(.failed(name, "settings", "flowService.orgId is not set", help: "set it to the organisation's <ORG>@AdobeOrg id (or \(prefix)ORG_ID)"))
        }
        if settings.clientId == nil {
            missing.append(.failed(name, "settings", "flowService.clientId is not set", help: "set it to the Developer Console project's client id (or \(prefix)CLIENT_ID)"))
        }
        guard let orgID = settings.orgId, let clientID = settings.clientId, let secret else {
            let without = secret == nil ? "the client secret" : "the settings above"
            return missing + [.skipped(name, "token", "not requested without \(without)"),
                              .skipped(name, "api", "not tried without a token")]
        }

        let tokens = IMSTokenProvider(
            credentials: .init(imsURL: settings.imsURL, clientID: clientID, clientSecret: secret, scopes: settings.scopes),
            transport: transport, clock: ContinuousClock(), retry: retry, logger: logger)
        do {
            _ = try await tokens.token()
        } catch let error as AuthenticationError {
            let message = error.message.contains(settings.imsURL) ? error.message : "\(error.message) (IMS at \(settings.imsURL))"
            return [.failed(name, "token", message, help: error.help),
                    .skipped(name, "api", "not tried without a token")]
        } catch {
            return [.failed(name, "token", "no IMS token from \(settings.imsURL): \(error)", help: "check imsURL and the network")]
        }
        var results: [CheckResult] = [.ok(name, "token", "IMS at \(settings.imsURL) issued a token for client \(clientID)")]

        let client = FlowServiceClient(
            endpoint: FlowServiceEndpoint(baseURL: settings.baseURL, orgID: orgID, sandbox: settings.sandbox, clientID: clientID),
            transport: readOnly, tokens: tokens, retry: retry, concurrency: 1, logger: logger)
        do {
            // A name filter: one small read-only request that needs the same rights as a sync's listing.
            _ = try await client.connectionSpecs(named: "specsync check")
            results.append(.ok(name, "api", "Flow Service at \(settings.baseURL) answers for org \(orgID), sandbox \(settings.sandbox)"))
        } catch {
            results.append(.failed(name, "api", "GET /connectionSpecs failed: \(error)",
                                   help: apiHelp(error, credentials: "flowService.clientId and the client secret",
                                                 what: "baseURL, orgId and sandbox, and that the project has the Experience Platform API")))
            results.append(.skipped(name, "flow spec", "not read while the API fails"))
            return results
        }

        let assignment = settings.flowSpecs
        let flowSpecIDs = Set([assignment.defaultID].compactMap { $0 } + assignment.bundles.values).sorted()
        if flowSpecIDs.isEmpty {
            results.append(.skipped(name, "flow spec", "none assigned (flowService.flowSpecId is off)"))
        }
        for id in flowSpecIDs {
            let assignedBy = assignment.defaultID == id ? "flowService.flowSpecId" : "flowService.flowSpecBundles"
            do {
                let flowSpec = try await client.flowSpec(id: id)
                let title = flowSpec[JSONPointer("/name")]?.stringValue.map { " (\($0))" } ?? ""
                guard flowSpec[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue != nil else {
                    results.append(.failed(name, "flow spec", "\(id)\(title) has no sourceConnectionSpecIds list",
                                           help: "check \(assignedBy): it must name a flow spec that sources are registered in"))
                    continue
                }
                results.append(.ok(name, "flow spec", "\(id)\(title) exists and is readable"))
            } catch let error as RequestError where error.status == 404 {
                results.append(.failed(name, "flow spec", "\(id) does not exist in sandbox \(settings.sandbox)",
                                       help: "check \(assignedBy) (RestStorageToAEP is \(FlowServiceSettings.restStorageToAEP))"))
            } catch {
                results.append(.failed(name, "flow spec", "GET /flowSpecs/\(id) failed: \(error)",
                                       help: apiHelp(error, credentials: "flowService.clientId and the client secret", what: assignedBy)))
            }
        }
        return results
    }

    /// Flxpoint's listing; Versori lists connections per connector only, so its key is first used by a sync.
    static func checkConnectionAPI(_ target: TargetSettings, environment: [String: String], transport: any HTTPTransport, logger: Logger) async -> CheckResult {
        let name = target.name
        let client: any SyncTarget
        do {
            client = try target.makeClient(environment: environment, transport: transport, logger: logger)
        } catch {
            return .failed(name, "settings", "\(error)", help: "complete the target's settings")
        }
        do {
            guard try await client.list(bundles: []) != nil else {
                return .skipped(name, "api", "\(target.kind.rawValue) has no listing to try without a bundle; the first sync uses the key")
            }
            return .ok(name, "api", "\(target.kind.rawValue) answers a listing with the configured key")
        } catch {
            let credentials = secrets(of: target).map(\.key).joined(separator: ", ")
            return .failed(name, "api", "the listing failed: \(error)",
                           help: apiHelp(error, credentials: credentials, what: "\(target.kind.rawValue).baseURL"))
        }
    }

    /// What to do after a failed request: a refused identity, a missing right, or no answer.
    static func apiHelp(_ error: any Error, credentials: String, what: String) -> String {
        guard let error = error as? RequestError else { return "check \(what)" }
        if case .unreachable = error { return "no answer: check \(what) and the network" }
        return switch error.status {
        case 401?: "the credentials were refused: check \(credentials)"
        case 403?: "the credentials lack the right: check their permissions and \(what)"
        default: "check \(what)"
        }
    }

    /// Opens the repository as the sync does and resolves the configured ref.
    static func checkRepository(_ configuration: Configuration) async -> CheckResult {
        let settings = configuration.repository
        let repository: GitRepository
        do {
            repository = try await RepositoryOpener.open(configuration)
        } catch {
            return .failed(nil, "repository", "\(error)",
                           help: settings.url == nil ? "point repository.path at the clone" : "check repository.url, its credentials and the network")
        }
        do {
            let commit = try await RepositoryOpener.resolve(settings.ref, in: repository)
            return .ok(nil, "repository", "\(settings.url ?? repository.path): \(settings.ref) is commit \(commit.hex.prefix(12))")
        } catch {
            return .failed(nil, "repository", "\(error)", help: "set repository.ref to a branch, tag or commit that exists")
        }
    }
}
