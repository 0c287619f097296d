import Foundation
import SpecSyncTestSupport
import Testing

@Suite("Help text")
struct HelpTextTests {
    @Test("each command's help reads as paragraphs wrapped at 80 columns, not as the source's line breaks",
          arguments: ["", "sync", "plan", "validate", "status", "check", "import", "adopt", "emulator", "verify"])
    func paragraphsWrap(command: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try await SpecSyncBinary.execute((command.isEmpty ? [] : [command]) + ["--help"], in: directory.url)
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

    @Test("the root help lists every exit code, 3 and the usage error's 64 included, and names specsync check")
    func exitCodes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try await SpecSyncBinary.execute(["--help"], in: directory.url)
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for code in ["0 success", "1 error", "2 changes pending", "3 not in sync", "64 usage error"] {
            #expect(text.contains(code), "the root help does not say '\(code)': \(result.stdout)")
        }
        #expect(text.contains("specsync check"))
    }

    @Test("--version prints the version of deploy/debian/changelog's first entry and nothing else")
    func version() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let changelog = try String(contentsOf: root.appendingPathComponent("deploy/debian/changelog"), encoding: .utf8)
        let entry = changelog.split(separator: "\n").first.map(String.init) ?? ""
        // "specsync (0.1.0-1) bookworm; …": the upstream version is before the Debian revision.
        let upstream = entry.split(separator: "(").dropFirst().first?.split(separator: "-").first.map(String.init) ?? ""
        try #require(!upstream.isEmpty, "no version in \(entry)")
        let result = try await SpecSyncBinary.execute(["--version"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == upstream + "\n", "\(result.stdout)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test("a usage error exits 64, as the root help says", arguments: [["plan", "--no-such-option"], ["no-such-command"], ["status", "--format", "yaml"]])
    func usageError(arguments: [String]) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try await SpecSyncBinary.execute(arguments, in: directory.url)
        #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
    }

    @Test("the bash, zsh and fish completions offer every subcommand and every long option --help shows",
          arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = try await SpecSyncBinary.execute(["--generate-completion-script", shell], in: directory.url)
        #expect(script.status == 0, "\(script.stderr)")
        let root = try await SpecSyncBinary.execute(["--help"], in: directory.url)
        let subcommands = Self.subcommands(inHelp: root.stdout)
        #expect(subcommands.contains("check") && subcommands.count >= 8, "\(subcommands)")
        for subcommand in subcommands {
            #expect(script.stdout.contains(subcommand), "\(shell) completion lacks \(subcommand)")
            let help = try await SpecSyncBinary.execute([subcommand, "--help"], in: directory.url)
            for option in Self.longOptions(inHelp: help.stdout) where option != "--help" {
                #expect(script.stdout.contains(String(option.dropFirst(2))), "\(shell) completion lacks \(subcommand) \(option)")
            }
        }
    }

    /// The names under SUBCOMMANDS: in a --help text: the first word of each entry's own line.
    static func subcommands(inHelp text: String) -> [String] {
        guard text.contains("SUBCOMMANDS:"), let section = text.components(separatedBy: "SUBCOMMANDS:").last else { return [] }
        let entries = section.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix { !$0.isEmpty }
        return entries.filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0 != "help" }
    }

    /// Every `--name` in the OPTIONS: section of a --help text, from each option's own line (its
    /// signature, before the help text), not from wrapped help lines.
    static func longOptions(inHelp text: String) -> [String] {
        let section = text.components(separatedBy: "OPTIONS:").dropFirst().joined()
        return section.split(separator: "\n").filter { $0.hasPrefix("  -") }.flatMap { line in
            let signature = line.dropFirst(2).components(separatedBy: "  ").first ?? ""
            return signature.split(whereSeparator: { " ,|<>=".contains($0) }).filter { $0.hasPrefix("--") }.map(String.init)
        }
    }
}
