import Foundation
import SpecSyncTargets
import Testing

/// Replays the response fuzz corpus (`Tests/Fuzz/corpus-responses`) through the fuzz target's entry
/// point without sanitizers: every property `ResponseProbe` checks must hold.
@Suite("response fuzz corpus replay")
struct ResponseCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Fuzz/corpus-responses")

    @Test("every corpus input decodes or fails cleanly, and every property holds")
    func replay() throws {
        let inputs = try FileManager.default.contentsOfDirectory(at: Self.corpus, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
        #expect(inputs.count >= 10)
        #expect(inputs.contains { $0.lastPathComponent == "hostile-updatedat-1e308.json" })
        var problems: [String] = []
        for input in inputs {
            let violations = ResponseProbe.run(Array(try Data(contentsOf: input)))
            if !violations.isEmpty { problems.append("\(input.lastPathComponent): \(violations)") }
        }
        #expect(problems.isEmpty, "\(problems)")
    }
}
