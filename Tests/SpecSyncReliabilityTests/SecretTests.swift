import Foundation
import SpecSyncEmulator
import SpecSyncJSON
import SpecSyncTestSupport
import Testing

/// Item 5 of the reliability suite: secrets in the configuration (the IMS client secret, the webhook
/// secret) and in spec bodies (`$(env:…)`, `$(cred:…)`), runs that fail in every way that prints
/// something (refused credentials, 5xx, lost answers, an invalid bundle, the daemon at trace level),
/// then every line printed, every file in the state directory, `plan` and `status` are searched for
/// every secret value, whole and in pieces.
@Suite("Reliability: secrets", .serialized)
struct SecretTests {
    /// A distinctive value: a marker and 32 random hex digits.
    static func secret(_ marker: String) -> String { marker + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased() }

    /// The sample spec with `$(env:SPEC_PASSWORD)` as the password's default and `$(cred:api-user)`
    /// as the user name's.
    static func specWithSecrets(name: String) -> String {
        SampleBundle.spec(name: name)
            .replacingOccurrences(of: #""password": {"type": "string", "format": "password"}"#,
                                  with: #""password": {"type": "string", "format": "password", "default": "$(env:SPEC_PASSWORD)"}"#)
            .replacingOccurrences(of: #""username": {"type": "string"}"#, with: #""username": {"type": "string", "default": "$(cred:api-user)"}"#)
    }

    @Test("no secret value appears in any log line, state file, plan or status output")
    func nothingLeaks() async throws {
        let clientSecret = Self.secret("clientsecret")
        let wrongClientSecret = Self.secret("wrongsecret")
        let webhookSecret = Self.secret("webhooksecret")
        let envSecrets = [Self.secret("envsecret"), Self.secret("envrotated")]
        let credSecrets = [Self.secret("credsecret"), Self.secret("credrotated")]
        let secrets = [clientSecret, wrongClientSecret, webhookSecret] + envSecrets + credSecrets

        let credentials = try TemporaryDirectory(prefix: "specsync-credentials")
        defer { credentials.remove() }
        try credentials.write(credSecrets[0] + "\n", to: "api-user")

        let emulator = try EmulatorProcess(clientSecret: clientSecret)
        defer { emulator.stop() }
        let daemon = "daemon:\n  pollInterval: 1s\n  http: {port: 0, webhookSecret: {env: WEBHOOK_SECRET}}\n"
        var repository = try ReliabilityRepository(
            emulator: emulator, bundles: 3, extraConfiguration: daemon,
            environment: ["SPEC_PASSWORD": envSecrets[0], "CREDENTIALS_DIRECTORY": credentials.path, "WEBHOOK_SECRET": webhookSecret])
        defer { repository.cleanUp() }
        for source in ["secret-one", "secret-two"] {
            try repository.fixture.write(Self.specWithSecrets(name: "\(source) source"), to: "Sources/\(source)/Artifacts/\(source)-connectionSpec.json")
        }
        // Broken on purpose: its diagnostics are printed too.
        try repository.fixture.write(Self.specWithSecrets(name: "secret-broken source") + "{", to: "Sources/secret-broken/Artifacts/secret-broken-connectionSpec.json")
        try repository.commit("bundles with secrets")

        var runs: [ProcessResult] = []
        let verbose = [["--log-level", "trace"], ["--log-level", "debug", "--log-format", "json"]]
        // Refused credentials: IMS answers 401 to the wrong secret.
        let refused = try await repository.specsync(["sync", "--once", "--log-level", "trace"], environment: ["EMULATOR_CLIENT_SECRET": wrongClientSecret])
        #expect(refused.status == 1, "\(refused.stderr)")
        runs.append(refused)
        runs.append(try await repository.specsync(["plan"], environment: ["EMULATOR_CLIENT_SECRET": wrongClientSecret]))
        // Server errors and lost answers, at the most talkative log levels; each run has work to do.
        try await emulator.setFaults(Self.storm)
        for (index, logging) in verbose.enumerated() {
            if index > 0 {
                try repository.touch(repository.sources, revision: index)
                try repository.commit("new descriptions")
            }
            let stormy = try await repository.specsync(["sync", "--once"] + logging)
            #expect(stormy.stderr.contains("retrying Flow Service request"), "the faults were logged: \(stormy.stderr.prefix(2000))")
            runs.append(stormy)
        }
        try await emulator.setFaults(.none)
        for format in ["text", "json"] {
            runs.append(try await repository.specsync(["sync", "--once", "--format", format, "--log-level", "trace"]))
        }
        #expect(runs.last?.status == 3, "only the broken bundle is left: \(runs.last?.stdout ?? "")")

        // A secret reference changes in git: plan shows a field diff whose values are both secrets.
        try repository.fixture.write(
            Self.specWithSecrets(name: "secret-one source").replacingOccurrences(of: "$(env:SPEC_PASSWORD)", with: "$(env:SPEC_PASSWORD_NEXT)"),
            to: "Sources/secret-one/Artifacts/secret-one-connectionSpec.json")
        try repository.commit("secret-one takes the next password")
        let next = ["SPEC_PASSWORD_NEXT": envSecrets[1]]
        let plan = try await repository.specsync(["plan"], environment: next)
        #expect(plan.stdout.contains("/authSpec/0/spec/properties/password/default") && plan.stdout.contains("(sensitive)"),
                "the plan shows where the secret changed, not what it is: \(plan.stdout)")
        runs.append(plan)
        for arguments in [["plan", "--format", "json"], ["plan", "--offline"], ["plan", "--offline", "--format", "json"]] {
            runs.append(try await repository.specsync(arguments, environment: next))
        }
        try await emulator.setFaults(Self.storm)
        runs.append(try await repository.specsync(["sync", "--once", "--log-level", "trace", "--log-format", "json"], environment: next))
        try await emulator.setFaults(.none)

        // The credential file rotates: every bundle is compared again, and sent.
        try credentials.write(credSecrets[1] + "\n", to: "api-user")
        for arguments in [["plan"], ["plan", "--format", "json"], ["plan", "--offline"], ["status"], ["status", "--format", "json"],
                          ["validate"], ["validate", "--format", "json"], ["sync", "--once", "--log-level", "trace"]] {
            runs.append(try await repository.specsync(arguments, environment: next))
        }

        // The service at trace level, with its HTTP endpoints and webhook secret, for a few passes.
        let service = try repository.start(["sync", "--log-level", "trace", "--log-format", "json"])
        try await Task.sleep(for: .seconds(3))
        service.process.terminate()
        await service.finished()
        #expect(service.output.contains("serving health, metrics and webhook"), "\(service.output.prefix(2000))")

        for result in runs {
            #expect(!result.stdout.isEmpty || !result.stderr.isEmpty, "every run printed something to search")
        }
        var searched = 0
        var leaks = 0
        for file in try repository.writtenFiles() {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            searched += 1
            for secret in secrets {
                for piece in Self.pieces(of: secret) where text.contains(piece) {
                    leaks += 1
                    Issue.record("\(file.lastPathComponent) holds '\(piece)' of a secret:\n\(text.prefix(3000))")
                }
            }
        }
        #expect(searched >= runs.count * 2 + 2, "the outputs and the state files were searched")
        try ScenarioReport.publish("secrets", SecretFigures(runs: runs.count + 1, secrets: secrets.count, filesSearched: searched, found: leaks))
        #expect(try String(contentsOfFile: repository.statePath, encoding: .utf8).contains("secret-one"))
        // The secrets did reach the emulator: what was searched is what would show them.
        let stored = try await emulator.connectionSpecs().map { String(decoding: $0.canonicalBytes, as: UTF8.self) }.joined()
        #expect(stored.contains(envSecrets[1]) && stored.contains(credSecrets[1]))
    }

    /// 30% 5xx and 10% lost answers.
    static var storm: FaultPlan {
        var plan = FaultPlan()
        plan.serverErrorRate = 0.3
        plan.dropRate = 0.1
        return plan
    }

    /// The whole secret, and its halves: a truncated secret leaks too.
    static func pieces(of secret: String) -> [String] {
        let half = secret.count / 2
        return [secret, String(secret.prefix(half)), String(secret.suffix(half))]
    }
}

/// What the secret search covered.
struct SecretFigures: Codable {
    let runs: Int
    let secrets: Int
    let filesSearched: Int
    let found: Int
}
