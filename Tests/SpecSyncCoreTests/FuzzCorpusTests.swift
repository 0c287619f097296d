import Foundation
import Testing
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncTestSupport

/// Replays the fuzz corpus (`Tests/Fuzz/corpus`, seeds and whatever long runs kept) through the fuzz
/// target's entry point without sanitizers: every input must give a body or findings, and every
/// property the fuzzer checks must hold.
@Suite("fuzz corpus replay")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Fuzz/corpus")

    static func inputs() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test("the corpus is there and holds the seeds")
    func corpusPresent() throws {
        let names = try Self.inputs().map(\.lastPathComponent)
        #expect(names.count >= 20, "\(names)")
        #expect(names.contains("seed-mailchimp-members.json"))
    }

    @Test("every corpus input gives a body or findings, and every property holds")
    func replay() async throws {
        // Seconds of CPU, taken only when no other test wants it.
        let problems = try await BlockingWork.runWhenIdle {
            var problems: [String] = []
            for input in try Self.inputs() {
                for outcome in PipelineProbe.run(Array(try Data(contentsOf: input))) {
                    let name = "\(input.lastPathComponent) as \(outcome.resource)"
                    if !outcome.violations.isEmpty { problems.append("\(name): \(outcome.violations)") }
                    if outcome.body == nil && !outcome.diagnostics.hasErrors { problems.append("\(name): neither a body nor an error") }
                }
            }
            return problems
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    static let configurationCorpus = corpus.deletingLastPathComponent().appendingPathComponent("corpus-configuration")

    @Test("every configuration corpus input loads or fails with a located error, and every property holds")
    func replayConfiguration() throws {
        let inputs = try FileManager.default.contentsOfDirectory(at: Self.configurationCorpus, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
        #expect(inputs.contains { $0.lastPathComponent == "hostile-duration-1e13h.yaml" })
        #expect(inputs.contains { $0.lastPathComponent == "seed-documented.yaml" })
        var problems: [String] = []
        for input in inputs {
            let violations = ConfigurationProbe.run(Array(try Data(contentsOf: input)))
            if !violations.isEmpty { problems.append("\(input.lastPathComponent): \(violations)") }
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("the configuration probe finds what it must: the documented example loads, a duration out of range is a violation")
    func configurationProbeSanity() throws {
        let documented = Array(try Data(contentsOf: Self.configurationCorpus.appendingPathComponent("seed-documented.yaml")))
        #expect(ConfigurationProbe.run(documented).isEmpty)
        var configuration = try ConfigurationLoader(environment: [:], currentDirectory: "/").parse("", source: "/x.yaml")
        #expect(ConfigurationProbe.check(configuration).isEmpty)
        configuration.daemon.retryMax = .seconds(400 * 86_400)
        #expect(ConfigurationProbe.check(configuration).count == 1, "a value out of range is a violation")
    }

    @Test("the probe finds what it must: a valid spec gives a body and no error, broken JSON one syntax error")
    func probeSanity() throws {
        let valid = Array(try Data(contentsOf: Self.corpus.appendingPathComponent("seed-mailchimp-members.json")))
        let spec = try #require(PipelineProbe.run(valid).first { $0.resource == .connectionSpec })
        #expect(spec.body != nil)
        #expect(!spec.diagnostics.filter { $0.file.hasSuffix(".json") }.hasErrors, "\(spec.diagnostics)")
        let broken = try #require(PipelineProbe.run(Array(#"{"name": "x",}"#.utf8)).first { $0.resource == .connectionSpec })
        #expect(broken.body == nil)
        #expect(broken.diagnostics.filter { $0.severity == .error && $0.file.hasSuffix(".json") }.map(\.location)
                == ["Sources/probe/Artifacts/probe-connectionSpec.json:1:14"])
    }
}
