import Foundation
import SpecSyncEmulator
import SpecSyncTestSupport
import Testing

/// `specsync sync --once` over HTTPS, as against the real Flow Service: the emulator with a test
/// CA's certificate, offering HTTP/2 by ALPN or HTTP/1.1 only, and `http.caFile` trusting that CA.
@Suite("sync over HTTPS and HTTP/2", .serialized, .enabled(if: TestCertificateAuthority.isInstalled, "openssl is not installed"))
struct HTTPSSyncTests {
    /// A TLS emulator and a repository of the examples configured for it, `http` lines added to the
    /// target (e.g. "caFile: PATH"), for the length of `body`.
    static func withTLSExampleRepository(
        http2: Bool, http: (TestCertificateAuthority) -> [String],
        _ body: (FlowServiceEmulator, GitFixture) async throws -> Void
    ) async throws {
        let authority = try TestCertificateAuthority()
        defer { authority.remove() }
        var configuration = SyncCommandTests.emulatorConfiguration()
        configuration.tls = EmulatorTLS(certificatePath: authority.certificateFile, keyPath: authority.keyFile, http2: http2)
        try await withFlowServiceEmulator(configuration) { emulator in
            let fixture = try await SyncCommandTests.repository(for: emulator, configuration: configuration)
            defer { fixture.cleanUp() }
            let lines = http(authority)
            if !lines.isEmpty {
                let yaml = try String(contentsOf: fixture.url.appendingPathComponent("specsync.yaml"), encoding: .utf8)
                try fixture.write(yaml + "    http:\n" + lines.map { "      " + $0 + "\n" }.joined(), to: "specsync.yaml")
            }
            try await body(emulator, fixture)
        }
    }

    func specsync(_ arguments: [String], in fixture: GitFixture) async throws -> ProcessResult {
        try await SpecSyncBinary.execute(arguments, in: fixture.url, environment: ["EMULATOR_CLIENT_SECRET": SyncCommandTests.secret])
    }

    @Test("with http.caFile, a sync over TLS lands its writes, over HTTP/2 when the server offers it and HTTP/1.1 when not",
          arguments: [true, false])
    func syncs(http2: Bool) async throws {
        try await Self.withTLSExampleRepository(http2: http2, http: { ["caFile: \($0.caFile)"] }) { emulator, fixture in
            #expect(try await emulator.baseURL.hasPrefix("https://127.0.0.1:"))
            let run = try await specsync(["sync", "--once"], in: fixture)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("3 created"), "\(run.stdout)")
            let statistics = await emulator.store.statistics()
            #expect(statistics.count("POST", "connectionSpecs", 201) == 3)
            #expect(statistics.writes >= 3, "\(statistics.requests)")
            let counted = statistics.requests.values.reduce(0, +)
            let version = http2 ? "HTTP/2" : "HTTP/1.1"
            #expect(statistics.requestsByHTTPVersion == [version: counted], "every request came in on \(version): \(statistics.requestsByHTTPVersion)")
            #expect(statistics.connections >= 1)
        }
    }

    @Test("without http.caFile the test CA is not trusted: the sync fails and says why and what to set")
    func untrusted() async throws {
        try await Self.withTLSExampleRepository(http2: true, http: { _ in [] }) { emulator, fixture in
            let run = try await specsync(["sync", "--once"], in: fixture)
            #expect(run.status != 0)
            let output = run.stdout + run.stderr
            #expect(output.contains("the server's TLS certificate is not signed by a trusted CA"), "\(output)")
            #expect(output.contains("http.caFile"), "\(output)")
            #expect(await emulator.store.statistics().writes == 0)
        }
    }

    @Test("an http.caFile that is missing or not PEM is an error that names the key")
    func badCAFile() async throws {
        for (file, reason) in [("missing.pem", "is not a readable file"), ("specsync.yaml", "is not a PEM file of CA certificates")] {
            try await Self.withTLSExampleRepository(http2: true, http: { _ in ["caFile: \(file)"] }) { emulator, fixture in
                let run = try await specsync(["sync", "--once"], in: fixture)
                #expect(run.status != 0)
                let output = run.stdout + run.stderr
                #expect(output.contains("targets.emulator.http.caFile: \(fixture.url.path)/\(file) \(reason)"), "\(output)")
                #expect(await emulator.store.statistics().requests.isEmpty)
            }
        }
    }

    @Test("specsync emulator refuses TLS options that do not go together, and a certificate it cannot read")
    func emulatorOptions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let notPEM = try directory.write("not a certificate\n", to: "bad.pem").path
        for (arguments, message) in [
            (["--no-http2"], "--no-http2 needs --tls-certificate and --tls-key"),
            (["--tls-certificate", notPEM], "--tls-certificate and --tls-key go together"),
            (["--tls-certificate", notPEM, "--tls-key", notPEM], "the emulator cannot serve HTTPS: cannot read a PEM certificate from \(notPEM)"),
        ] {
            let run = try await SpecSyncBinary.execute(["emulator", "--port", "0"] + arguments, in: directory.url, environment: [:])
            #expect(run.status != 0)
            #expect((run.stdout + run.stderr).contains(message), "\(run.stdout)\(run.stderr)")
            #expect(!run.stdout.contains("listening on"))
        }
    }
}
