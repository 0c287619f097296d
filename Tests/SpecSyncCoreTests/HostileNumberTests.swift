import Foundation
import Testing
@testable import SpecSyncConfiguration
import SpecSyncTestSupport
@testable import SpecSyncCore
@testable import SpecSyncJSON

/// No parsed number traps: configuration values out of range are errors with line:column, body
/// numbers a double cannot hold are errors with a JSON pointer.
@Suite("Hostile numbers")
struct HostileNumberTests {
    func parseError(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try ConfigurationLoader(environment: [:], currentDirectory: "/work/repo").parse(yaml, source: "/etc/specsync/specsync.yaml")
            return nil
        } catch { return error }
    }

    @Test("durations beyond 365 days (1e13 h and more) are errors naming the key and its line, not a trap",
          arguments: ["10000000000000h", "1e13h", "1e308d", "366d", "9223372036854775807ms", "1e400s"])
    func hugeDurations(_ text: String) throws {
        let error = try #require(parseError("daemon:\n  retry:\n    max: \(text)\n"))
        #expect(error.location == "3:10", "\(error)")
        #expect(error.message.contains("'daemon.retry.max' is '\(text)', longer than the longest duration specsync takes (365d)"), "\(error)")
    }

    @Test("not-a-number, infinite, hexadecimal and negative durations are ordinary errors",
          arguments: ["nans", "infm", "infinityh", "0x10s", "-5s", "s", "1e", "0s"])
    func malformedDurations(_ text: String) throws {
        let error = try #require(parseError("daemon:\n  pollInterval: \(text)\n"))
        #expect(error.location == "2:17", "\(error)")
        #expect(error.message.contains("must be a positive duration"), "\(error)")
    }

    @Test("365 days is the longest duration taken")
    func longestDuration() throws {
        let configuration = try ConfigurationLoader(environment: [:], currentDirectory: "/work/repo")
            .parse("daemon:\n  drift:\n    interval: 365d\n  fetchInterval: 8760h\n", source: "/etc/specsync/specsync.yaml")
        #expect(configuration.daemon.driftInterval == .seconds(365 * 86_400))
        #expect(configuration.daemon.fetchInterval == .seconds(365 * 86_400))
        #expect(ConfigurationLoader.parseDuration("1e13h") == nil)
    }

    @Test("integers that overflow, negative counts and non-finite rates are errors with line:column",
          arguments: [
            ("daemon:\n  drift:\n    maxHeals: 99999999999999999999999\n", "3:15", "daemon.drift.maxHeals"),
            ("daemon:\n  http:\n    port: -1\n", "3:11", "daemon.http.port"),
            ("targets:\n  prod:\n    prune:\n      limit: -3\n", "4:14", "targets.prod.prune.limit"),
            ("targets:\n  prod:\n    flowService:\n      concurrency: 9223372036854775808\n", "4:20", "targets.prod.flowService.concurrency"),
            ("targets:\n  prod:\n    flowService:\n      requestsPerSecond: 1e999\n", "4:26", "targets.prod.flowService.requestsPerSecond"),
            ("targets:\n  prod:\n    flowService:\n      requestsPerSecond: nan\n", "4:26", "targets.prod.flowService.requestsPerSecond"),
          ])
    func badCounts(_ yaml: String, _ location: String, _ key: String) throws {
        let error = try #require(parseError(yaml))
        #expect(error.location == location, "\(error)")
        #expect(error.message.contains("'\(key)' must be a number from"), "\(error)")
    }

    @Test("a rate from the environment that would make a pause no Duration holds is an error naming the variable",
          arguments: ["1e-300", "inf", "nan", "0", "-1"])
    func environmentRates(_ value: String) throws {
        let variable = "SPECSYNC_TARGETS_PROD_FLOW_SERVICE_REQUESTS_PER_SECOND"
        let loader = ConfigurationLoader(environment: [variable: value], currentDirectory: "/work/repo")
        var configuration = try loader.parse("targets:\n  prod:\n    kind: flowService\n", source: "/etc/specsync/specsync.yaml")
        let error = try #require(throws: ConfigurationError.self) { try loader.applyEnvironment(to: &configuration) }
        #expect(error.description == "\(variable): '\(value)' is not a number from 0.01 to 10000")
    }

    func numberFindings(_ literal: String) -> [Diagnostic] {
        let spec = SampleBundle.spec(name: "Numbers", extra: "\n  \"limits\": {\"max\": [1, \(literal)]},")
        let evaluated = BundleEvaluator(layout: BundleLayout()).evaluate([Fixture.bundle("n", spec: spec, icon: Fixture.validIcon)])[0]
        #expect(evaluated.body != nil)
        return evaluated.diagnostics.filter { $0.code == "number-out-of-range" }
    }

    @Test("numbers a double cannot hold as written are errors with their JSON pointer, and the body is not sendable",
          arguments: ["1e999999", "-1e999999", "1e-999999", "9007199254740993", "-9007199254740993", "18446744073709551616",
                      String(repeating: "9", count: 100_001)])
    func unstorableNumbers(_ literal: String) throws {
        let spec = SampleBundle.spec(name: "Numbers", extra: "\n  \"limits\": {\"max\": [1, \(literal)]},")
        let evaluated = BundleEvaluator(layout: BundleLayout()).evaluate([Fixture.bundle("n", spec: spec, icon: Fixture.validIcon)])[0]
        #expect(!evaluated.isSendable)
        let findings = evaluated.diagnostics.filter { $0.code == "number-out-of-range" }
        #expect(findings.count == 1, "\(evaluated.diagnostics)")
        let finding = try #require(findings.first)
        #expect(finding.severity == .error)
        #expect(finding.location == "Sources/n/Artifacts/n-connectionSpec.json#/limits/max/1", "\(finding)")
        // A 100,001-digit number is not quoted whole.
        #expect(finding.description.utf8.count < 400, "\(finding.description.prefix(500))")
    }

    @Test("numbers a double holds are fine: ±2^53, fractions, exponents in range, zero written any way",
          arguments: ["9007199254740992", "-9007199254740992", "0.1", "1.7976931348623157e308", "5e-324", "0", "-0", "0e5", "0.000", "123456789012"])
    func storableNumbers(_ literal: String) {
        #expect(numberFindings(literal).isEmpty, "\(literal)")
    }

    @Test("past 20 findings the rest are summed up in one")
    func manyFindings() {
        let numbers = Array(repeating: "1e999", count: 30).joined(separator: ",")
        let spec = SampleBundle.spec(name: "Numbers", extra: "\n  \"limits\": [\(numbers)],")
        let evaluated = BundleEvaluator(layout: BundleLayout()).evaluate([Fixture.bundle("n", spec: spec, icon: Fixture.validIcon)])[0]
        let findings = evaluated.diagnostics.filter { $0.code == "number-out-of-range" }
        #expect(findings.count == 21)
        #expect(findings.last?.message == "10 more numbers cannot be stored as written")
    }
}
