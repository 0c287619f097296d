import Foundation
import SpecSyncTestSupport
import Testing

/// The ready pipelines in deploy/ci/: `run-locally.sh` runs the specsync steps of each pipeline file
/// (same commands, same order) against two emulators standing in for dev and prod, and checks that
/// both end in sync with git and that the plan comment starts with its marker.
@Suite("deploy/ci pipelines")
struct PipelineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let pipelines = ["github-actions.yml", "gitlab-ci.yml"]

    /// The steps a pipeline file runs, by the script's rule: each line that starts with `specsync `.
    func steps(of pipeline: String) throws -> [String] {
        let text = try String(contentsOf: Self.root.appendingPathComponent("deploy/ci/\(pipeline)"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            var rest = line.drop { $0 == " " }
            if rest.hasPrefix("- ") { rest = rest.dropFirst(2) }
            return rest.hasPrefix("specsync ") ? String(rest) : nil
        }
    }

    @Test("each pipeline's steps run locally against the emulators in the file's order, and leave dev and prod in sync")
    func runLocally() async throws {
        for pipeline in Self.pipelines {
            let steps = try steps(of: pipeline)
            #expect(steps.contains { $0.contains("sync --once") && $0.contains("--plan prod.plan.json") }, "\(pipeline) applies the saved prod plan")
            #expect(steps.contains { $0.contains("--format markdown") }, "\(pipeline) comments the plan")
        }
        let binary = try SpecSyncBinary.path
        let result = try await BlockingWork.run {
            try ProcessRunner.run("/bin/bash", [Self.root.appendingPathComponent("deploy/ci/run-locally.sh").path], in: Self.root,
                                  environment: SpecSyncBinary.childEnvironment(["SPECSYNC_BIN": binary]))
        }
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for pipeline in Self.pipelines {
            let steps = try steps(of: pipeline)
            guard let start = lines.firstIndex(of: "== \(pipeline)") else { Issue.record("\(pipeline) was not run: \(result.stdout)"); continue }
            let ran = lines[(start + 1)...].prefix { !$0.hasPrefix("== ") }.filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
            #expect(ran == steps, "\(pipeline): the script ran its steps in its order")
            #expect(result.stdout.contains("ok: \(pipeline): \(steps.count) steps; dev and prod in sync"))
        }
        #expect(!result.stdout.contains("emulator-secret") && !result.stderr.contains("emulator-secret"))
    }
}
