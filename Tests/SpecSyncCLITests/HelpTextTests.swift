import Foundation
import SpecSyncTestSupport
import Testing

@Suite("Help text")
struct HelpTextTests {
    @Test("each command's help reads as paragraphs wrapped at 80 columns, not as the source's line breaks",
          arguments: ["sync", "plan", "validate", "status", "import", "adopt", "emulator"])
    func paragraphsWrap(command: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try await SpecSyncBinary.execute([command, "--help"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout.components(separatedBy: "USAGE:").first ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 2, "no description in: \(result.stdout)")
        for (line, next) in zip(lines, lines.dropFirst()) {
            #expect(line.count <= 80, "too long: \(line)")
            // A short line followed by one that goes on mid-sentence is a hard line break from the source.
            let continues = next.first.map { $0.isLowercase } ?? false
            #expect(line.count >= 50 || !continues, "broken line in \(command)'s help: '\(line)' / '\(next)'")
        }
    }
}
