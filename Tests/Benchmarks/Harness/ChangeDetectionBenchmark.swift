import Foundation
import SpecSyncCore
import SpecSyncGit
import SpecSyncSource

/// Times `ChangeDetector` in process: the libgit2 tree diff from one commit to another and its
/// mapping to bundles, with the repository already open, as the daemon does it on every new commit.
struct ChangeDetectionBenchmark {
    let repository: String
    let from: String
    let to: String
    let iterations: Int

    func run() async throws -> BenchmarkResult {
        let repository = try GitRepository(path: self.repository)
        let old = try await repository.resolveCommit(from)
        let new = try await repository.resolveCommit(to)
        let detector = ChangeDetector(repository: repository, layout: BundleLayout(root: "Sources"))
        var samples: [Double] = []
        var touched = 0
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            let changes = try await detector.changes(from: old, to: new)
            samples.append((ContinuousClock.now - start).milliseconds)
            touched = changes.touched.count
        }
        return BenchmarkResult(samples: samples, detail: ["bundles": touched])
    }
}
