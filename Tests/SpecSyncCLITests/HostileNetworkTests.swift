import Foundation
import SpecSyncCore
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing
import SpecSyncJSON

/// Issue 16, the network half: `specsync sync --once` (the real binary) against a misbehaving
/// server on loopback. Every run must end by itself with a clear message, never by a signal, and
/// nothing secret (the client secret, in clear or form-encoded, and every token the server issued)
/// may appear in its output, its debug JSON logs or its state files.
@Suite("hostile network", .serialized)
struct HostileNetworkTests {
    /// With characters that form encoding changes, so an echo of the encoded form is caught too.
    static let secret = "hostile-secret-\(UUID().uuidString)+/="

    /// What one run of the binary did.
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        let crashed: Bool
        let hung: Bool
        let seconds: Double

        var output: String { stdout + stderr }
    }

    /// A repository of the three example connection specs with one Flow Service target.
    static func repository(api: String, ims: String, concurrency: Int = 3, http: [String] = ["requestTimeout: 1s", "connectTimeout: 1s"]) throws -> GitFixture {
        let fixture = try GitFixture()
        let examples = SyncCommandTests.examples.appendingPathComponent("Sources")
        try FileManager.default.copyItem(at: examples, to: fixture.url.appendingPathComponent("Sources"))
        let lines = [
            "targets:", "  hostile:", "    flowService:",
            "      baseURL: \(api)/data/foundation/flowservice", "      imsURL: \(ims)",
            "      orgId: EMULATOR0000000000000000@AdobeOrg", "      sandbox: prod", "      clientId: specsync-emulator",
            "      clientSecret: {env: HOSTILE_CLIENT_SECRET}", "      concurrency: \(concurrency)", "    http:",
        ] + http.map { "      " + $0 }
        try fixture.write(lines.joined(separator: "\n") + "\n", to: "specsync.yaml")
        try fixture.write("specsync.yaml\n.specsync/\n", to: ".gitignore")
        try fixture.commitAll("examples")
        return fixture
    }

    /// Runs the binary, killed after `limit` so a hang fails the test instead of the suite.
    static func specsync(_ arguments: [String], in fixture: GitFixture, limit: TimeInterval = 180) async throws -> Run {
        let binary = try SpecSyncBinary.path
        let environment = SpecSyncBinary.childEnvironment(["HOSTILE_CLIENT_SECRET": secret])
        return try await BlockingWork.run {
            let directory = FileManager.default.temporaryDirectory
            let out = directory.appendingPathComponent("hostile-out-\(UUID().uuidString)")
            let err = directory.appendingPathComponent("hostile-err-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
            let started = Date()
            let process = try ChildProcess(
                binary, arguments, in: fixture.url, environment: environment,
                standardOutput: .file(out.path), standardError: .file(err.path))
            let finished = DispatchSemaphore(value: 0)
            DispatchQueue.global().async { process.waitUntilExit(); finished.signal() }
            var hung = false
            if finished.wait(timeout: .now() + limit) == .timedOut {
                hung = true
                process.signal(SIGKILL)
                finished.wait()
            }
            let seconds = Date().timeIntervalSince(started)
            return Run(
                status: process.terminationStatus,
                stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
                crashed: !hung && process.terminationReason == .uncaughtSignal, hung: hung, seconds: seconds)
        }
    }

    /// `sync --once` with debug logs as JSON lines: the most verbose output there is.
    static func sync(_ fixture: GitFixture) async throws -> Run {
        try await specsync(["sync", "--once", "--log-level", "debug", "--log-format", "json"], in: fixture)
    }

    /// No crash, no hang, the expected exit status, and no secret anywhere it could have gone.
    static func expectClearFailure(
        _ run: Run, status: Int32, fixture: GitFixture, server: HostileServer? = nil, _ name: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        print("hostile: \(name): exit \(run.status) after \(String(format: "%.1f", run.seconds)) s")
        #expect(!run.hung, "\(name): still running after the limit", sourceLocation: sourceLocation)
        #expect(!run.crashed, "\(name): killed by a signal\n\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.status == status, "\(name): exit \(run.status)\n\(run.stdout)\n\(run.stderr)", sourceLocation: sourceLocation)
        #expect(!run.output.contains("Fatal error"), sourceLocation: sourceLocation)
        var secrets = [secret, secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!]
        for token in server?.issuedTokens() ?? [] {
            secrets.append(token)
            // A token with a line break: its first line alone is as secret.
            if let firstLine = token.split(whereSeparator: \.isNewline).first { secrets.append(String(firstLine)) }
        }
        var places = [("stdout", run.stdout), ("stderr", run.stderr)]
        let stateDirectory = fixture.url.appendingPathComponent(".specsync")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory.path)) ?? [] {
            places.append((file, (try? String(contentsOf: stateDirectory.appendingPathComponent(file), encoding: .utf8)) ?? ""))
        }
        for (place, text) in places {
            for value in secrets where text.contains(value) {
                Issue.record("\(name): a secret leaked into \(place): \(text)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: Secrets leak

    @Test("an IMS 401 that echoes the form: the client secret reads (sensitive), the pass stops with exit 1")
    func imsEchoesTheForm() async throws {
        let server = try HostileServer(ims: "echo-form", api: "500")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 1, fixture: fixture, server: server, "IMS 401 echoing the form")
        #expect(run.stderr.contains("IMS refused the client credentials (HTTP 401, invalid_client"), "\(run.stderr)")
        #expect(run.stderr.contains("client_secret=(sensitive)"), "\(run.stderr)")
        #expect(server.requests("ims").count == 1, "a refused identity is not retried")
    }

    @Test("an IMS token with CR/LF is refused without quoting it, in output, debug JSON logs and state")
    func imsTokenWithLineBreak() async throws {
        let server = try HostileServer(ims: "crlf", api: "500")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 1, fixture: fixture, server: server, "IMS token with CR/LF")
        #expect(run.stderr.contains("cannot be sent as an HTTP header"), "\(run.stderr)")
        #expect(!run.output.contains("X-Evil"))
        #expect(server.requests("api").isEmpty, "the token was never sent")
    }

    @Test("a gateway 403 that echoes the Authorization header: the token reads (sensitive)")
    func gatewayEchoesAuthorization() async throws {
        let server = try HostileServer(ims: "ok", api: "echo-authorization")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 1, fixture: fixture, server: server, "gateway 403 echoing Authorization")
        #expect(run.stderr.contains("HTTP 403 403003"), "\(run.stderr)")
        #expect(run.stderr.contains("Authorization: Bearer (sensitive)"), "\(run.stderr)")
        #expect(!server.issuedTokens().isEmpty)
        // The pass stopped for every bundle, and still reports what it did (nothing) and why.
        #expect(run.stdout.contains("Synced commit") && run.stdout.contains("stopped: "), "\(run.stdout)")
    }

    @Test("the daemon against a gateway that echoes the Authorization header: no token or secret in its logs, /metrics, /readyz or /healthz")
    func daemonFaceShowsNoSecret() async throws {
        let server = try HostileServer(ims: "ok", api: "echo-authorization")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let port = try SSHServer.freePortNumber()
        var text = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
        text += "daemon:\n  pollInterval: 200ms\n  retry: {base: 1s, max: 2s}\n  http: {port: \(port)}\n"
        try fixture.write(text, to: "specsync.yaml")

        let log = fixture.url.appendingPathComponent("daemon.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let daemon = try ChildProcess(
            try SpecSyncBinary.path, ["sync", "--log-level", "trace", "--log-format", "json"], in: fixture.url,
            environment: SpecSyncBinary.childEnvironment(["HOSTILE_CLIENT_SECRET": Self.secret]),
            standardOutput: .descriptor(handle.fileDescriptor), standardError: .descriptor(handle.fileDescriptor))
        defer { daemon.signal(SIGKILL); daemon.waitUntilExit(); try? handle.close() }

        func get(_ path: String) async throws -> String {
            try await BlockingWork.run {
                try ProcessRunner.run("python3", ["-c", """
                    import sys, urllib.request, urllib.error
                    try:
                        r = urllib.request.urlopen(sys.argv[1], timeout=5); print(r.status); print(r.read().decode())
                    except urllib.error.HTTPError as e:
                        print(e.code); print(e.read().decode())
                    """, "http://127.0.0.1:\(port)\(path)"]).stdout
            }
        }
        // Until a pass has failed on the refused token (the gateway's 403 stops it for every bundle).
        var metrics = ""
        for _ in 0..<300 where !metrics.contains("specsync_passes_total{result=\"failure\"} 1") {
            try await Task.sleep(for: .milliseconds(100))
            metrics = (try? await get("/metrics")) ?? ""
        }
        #expect(metrics.contains("specsync_passes_total{result=\"failure\"}"), "\(metrics)")
        #expect(!server.issuedTokens().isEmpty && server.requests("api").count >= 1)
        let endpoints = [metrics, try await get("/readyz"), try await get("/healthz")].joined(separator: "\n")
        let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(logged.contains("Authorization: Bearer (sensitive)"), "the echo reached the log, masked: \(logged.suffix(3000))")
        Self.expectClearFailure(Run(status: 0, stdout: endpoints, stderr: logged, crashed: false, hung: false, seconds: 0),
                                status: 0, fixture: fixture, server: server, "daemon facing an echoing gateway")
    }

    // MARK: Crashes

    @Test("expires_in: 1e308 does not crash sync: the token is used, the API's 500s are bundle failures")
    func hugeExpiry() async throws {
        let server = try HostileServer(ims: "huge-expiry", api: "500")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 3, fixture: fixture, server: server, "expires_in 1e308")
        #expect(run.stdout.contains("3 failed"), "\(run.stdout)")
        #expect(server.requests("ims").count == 1, "the token was cached, not asked for again")
    }

    // MARK: Hangs and slow failures

    @Test("an API that accepts and never answers: each request gives up after requestTimeout, the report is printed")
    func apiStalls() async throws {
        let server = try HostileServer(ims: "ok", api: "stall")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 3, fixture: fixture, server: server, "API never answers")
        #expect(run.stdout.contains("3 failed"), "\(run.stdout)")
        #expect(run.stdout.contains("no complete answer within 1.0 seconds (after 6 attempts)"), "\(run.stdout)")
    }

    @Test("an IMS that accepts and never answers: the bundles fail with a plain reason, exit 3")
    func imsStalls() async throws {
        let server = try HostileServer(ims: "stall", api: "500")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 3, fixture: fixture, server: server, "IMS never answers")
        #expect(run.stdout.contains("/ims/token/v3: no complete answer within 1.0 seconds (after 4 attempts)"), "\(run.stdout)")
    }

    @Test("an answer dripped one byte a second ends at requestTimeout, body included")
    func apiDrips() async throws {
        let server = try HostileServer(ims: "ok", api: "slow")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 3, fixture: fixture, server: server, "API drips its answer")
        #expect(run.stdout.contains("no complete answer within 1.0 seconds"), "\(run.stdout)")
    }

    @Test("refused ports (IMS, then the API): plain words, no errno dump, exit 3 with the report")
    func refusedPorts() async throws {
        let closed = "http://127.0.0.1:\(try HostileServer.closedPort())"
        let ims = try Self.repository(api: closed, ims: closed)
        defer { ims.cleanUp() }
        let imsRun = try await Self.sync(ims)
        Self.expectClearFailure(imsRun, status: 3, fixture: ims, "IMS port refused")
        #expect(imsRun.stdout.contains("connection refused (nothing listens on that port) (after 4 attempts)"), "\(imsRun.stdout)")

        let server = try HostileServer(ims: "ok", api: "500")
        defer { server.stop() }
        let api = try Self.repository(api: closed, ims: server.baseURL)
        defer { api.cleanUp() }
        let apiRun = try await Self.sync(api)
        Self.expectClearFailure(apiRun, status: 3, fixture: api, server: server, "API port refused")
        #expect(apiRun.stdout.contains("connection refused (nothing listens on that port) (after 6 attempts)"), "\(apiRun.stdout)")
        for run in [imsRun, apiRun] {
            #expect(!run.output.contains("error set") && !run.output.contains("errno"), "\(run.output)")
        }
    }

    // MARK: Retries that do not fit

    @Test("an answer over the 64 MiB cap fails at once: not retried")
    func hugeBody() async throws {
        let server = try HostileServer(ims: "ok", api: "huge")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL, http: ["requestTimeout: 30s"])
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 3, fixture: fixture, server: server, "answer over 64 MiB")
        #expect(run.stdout.contains("the answer is larger than the 64 MiB this client accepts (not retried"), "\(run.stdout)")
        #expect(server.requests("api").count == 4, "one listing, then one request per bundle, none retried: \(server.requests("api"))")
    }

    @Test("an answer that is not JSON is a bundle failure that says so")
    func notJSON() async throws {
        let server = try HostileServer(ims: "ok", api: "not-json")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 3, fixture: fixture, server: server, "answer not JSON")
        #expect(run.stdout.contains("unexpected answer: the body is not JSON"), "\(run.stdout)")
    }

    @Test("a GET answered 500 is retried with backoff (6 attempts), then fails in plain words")
    func serverErrorIsRetried() async throws {
        let server = try HostileServer(ims: "ok", api: "500")
        defer { server.stop() }
        let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL, concurrency: 1)
        defer { fixture.cleanUp() }
        let run = try await Self.sync(fixture)
        Self.expectClearFailure(run, status: 3, fixture: fixture, server: server, "API 500")
        #expect(server.requests("api").count == 6, "6 attempts of the one listing; the lookups are not sent into the same outage")
        #expect(run.stdout.contains("HTTP 500 500000: internal server error"), "\(run.stdout)")
        #expect(!run.output.contains("retryAfter"), "no enum dump")
    }

    @Test("429 and 503 with a Retry-After beyond the cap fail at once and say why")
    func retryAfterBeyondTheCap() async throws {
        for mode in ["429-long", "503-long"] {
            let server = try HostileServer(ims: "ok", api: mode)
            defer { server.stop() }
            let fixture = try Self.repository(api: server.baseURL, ims: server.baseURL)
            defer { fixture.cleanUp() }
            let run = try await Self.sync(fixture)
            Self.expectClearFailure(run, status: 3, fixture: fixture, server: server, "Retry-After beyond the cap (\(mode))")
            #expect(run.stdout.contains("the server asked to wait 86400 s before trying again, longer than the 300 s specsync waits"), "\(run.stdout)")
            #expect(server.requests("api").count == 1, "\(mode): the listing, not retried, and no lookup after it")
        }
    }

    @Test("an IMS 500 during a token renewal fails the requests that needed it, not the pass")
    func imsServerErrorDuringRenewal() async throws {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = Self.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            let upstream = try await emulator.baseURL
            let ims = try HostileServer(ims: "proxy-then-500", upstream: upstream)
            defer { ims.stop() }
            // The third API request is refused as if the token had been revoked: specsync renews it.
            let api = try HostileServer(api: "proxy-401-once", upstream: upstream)
            defer { api.stop() }
            let fixture = try Self.repository(api: api.baseURL, ims: ims.baseURL, concurrency: 1)
            defer { fixture.cleanUp() }
            let run = try await Self.sync(fixture)
            Self.expectClearFailure(run, status: 3, fixture: fixture, "IMS 500 during renewal")
            #expect(run.stdout.contains("1 created"), "\(run.stdout)")
            #expect(run.stdout.contains("/ims/token/v3: HTTP 500"), "\(run.stdout)")
            #expect(!run.stderr.contains("authentication failed"), "\(run.stderr)")
            // The first token, then 4 attempts for each request that needed a new one (the two
            // bundles left and the flow spec registration of the one created).
            let asked = ims.requests("ims").count
            #expect(asked > 1 && (asked - 1) % 4 == 0, "\(asked) token requests")
        }
    }

    @Test("one 500 on the flow spec GET is retried: every created spec is registered, and the report counts each bundle once")
    func flowSpecReadRetried() async throws {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = Self.secret
        try await withFlowServiceEmulator(configuration) { emulator in
            let upstream = try await emulator.baseURL
            let api = try HostileServer(api: "proxy-flowspec-500-once", upstream: upstream)
            defer { api.stop() }
            let fixture = try Self.repository(api: api.baseURL, ims: upstream, concurrency: 2)
            defer { fixture.cleanUp() }
            let run = try await Self.specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(run.status == 0 && !run.crashed && !run.hung, "\(run.output)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
            #expect((report["created"] as? [String])?.count == 3, "\(run.stdout)")
            #expect((report["registered"] as? [String])?.count == 3, "\(run.stdout)")
            #expect((report["registrationFailures"] as? [Any])?.isEmpty == true, "\(run.stdout)")
            #expect((report["decisions"] as? [Any])?.count == 3, "one outcome per bundle")
            let reads = api.requests("api").filter { ($0["method"] as? String) == "GET" && (($0["path"] as? String) ?? "").contains("/flowSpecs/") }
            #expect(reads.count >= 2, "the 500 was answered, then the read was retried: \(reads)")
            let flowSpec = await emulator.store.flowSpec(id: "6499120c-0b15-42dc-936e-847ea3c24d72")
            let listed = flowSpec?[JSONPointer("/sourceConnectionSpecIds")]?.arrayValue?.count ?? 0
            let created = await emulator.store.connectionSpecs().count
            #expect(created == 3 && listed >= 3, "\(created) specs, \(listed) in the flow spec")
        }
    }

    @Test("a pass that reaches its deadline stops starting writes, names each write left for the next pass, and the next pass finishes without a duplicate")
    func passDeadlineEndsARealPass() async throws {
        var configuration = EmulatorConfiguration()
        configuration.clientSecret = Self.secret
        configuration.latency = .milliseconds(400)
        try await withFlowServiceEmulator(configuration) { emulator in
            let upstream = try await emulator.baseURL
            let fixture = try Self.repository(api: upstream, ims: upstream, concurrency: 1, http: ["requestTimeout: 10s"])
            for index in 0..<9 { try SampleBundle.write("extra-\(index)", name: "Extra \(index)", in: fixture.directory) }
            var text = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
            text += "    passDeadline: 2s\n"
            try fixture.write(text, to: "specsync.yaml")
            try fixture.commitAll("twelve bundles")

            let first = try await Self.specsync(["sync", "--once", "--format", "json"], in: fixture)
            #expect(first.status == 3 && !first.crashed && !first.hung, "\(first.output)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any], "\(first.stdout)")
            let created = report["created"] as? [String] ?? []
            let notStarted = report["notStarted"] as? [String] ?? []
            #expect(!created.isEmpty && !notStarted.isEmpty, "\(first.stdout)")
            #expect(created.count + notStarted.count == 12, "every bundle is either done or named as left: \(first.stdout)")
            #expect((report["stoppedEarly"] as? String)?.contains("the pass deadline passed (targets.hostile.passDeadline: 2 s)") == true, "\(first.stdout)")

            let second = try await Self.specsync(["sync", "--once"], in: fixture)
            #expect(second.status == 3 || second.status == 0, "\(second.output)")
            // Without the deadline the rest is created, once each.
            try fixture.write(text.replacingOccurrences(of: "    passDeadline: 2s\n", with: ""), to: "specsync.yaml")
            let last = try await Self.specsync(["sync", "--once"], in: fixture, limit: 300)
            #expect(last.status == 0, "\(last.output)")
            let names = await emulator.store.connectionSpecs().compactMap { $0[JSONPointer("/name")]?.stringValue }
            #expect(names.count == 12 && Set(names).count == 12, "12 specs, no duplicate: \(names.sorted())")
        }
    }

    // MARK: Cleartext

    @Test("http:// to a host that is not loopback is a configuration error with line:column, unless allowed")
    func cleartextRefused() async throws {
        let fixture = try Self.repository(api: "https://platform.adobe.io", ims: "http://ims-na1.adobelogin.com")
        defer { fixture.cleanUp() }
        let refused = try await Self.specsync(["status"], in: fixture)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("specsync.yaml:5:15: 'targets.hostile.flowService.imsURL' is http://ims-na1.adobelogin.com"), "\(refused.stderr)")
        #expect(refused.stderr.contains("allowInsecureHTTP"), "\(refused.stderr)")

        var text = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
        text += "      allowInsecureHTTP: true\n"
        try fixture.write(text, to: "specsync.yaml")
        let allowed = try await Self.specsync(["status"], in: fixture)
        #expect(allowed.status == 0, "\(allowed.stderr)")

        let environment = try Self.repository(api: "https://platform.adobe.io", ims: "https://ims-na1.adobelogin.com")
        defer { environment.cleanUp() }
        let variable = try await SpecSyncBinary.execute(
            ["status"], in: environment.url, environment: ["SPECSYNC_TARGETS_HOSTILE_FLOW_SERVICE_BASE_URL": "http://10.0.0.1/flowservice"])
        #expect(variable.status == 1)
        #expect(variable.stderr.contains("SPECSYNC_TARGETS_HOSTILE_FLOW_SERVICE_BASE_URL: 'SPECSYNC_TARGETS_HOSTILE_FLOW_SERVICE_BASE_URL' is http://10.0.0.1"), "\(variable.stderr)")
    }
}
