import Foundation
import SpecSyncCore
import SpecSyncGit
import SpecSyncJSON
import SpecSyncSource

/// Evaluates every bundle of a commit in process, as a first plan does (read, parse, canonicalise,
/// hash), keeping the results as the plan keeps them; reports the time and the resident memory
/// they add, which is what sets the peak memory of a first plan.
struct EvaluationBenchmark {
    let repository: String
    let revision: String

    func run() async throws -> BenchmarkResult {
        let repository = try GitRepository(path: self.repository)
        let commit = try await repository.resolveCommit(revision)
        let layout = BundleLayout(root: "Sources")
        let source = GitCommitSource(repository: repository, commit: commit, layout: layout)
        let evaluator = BundleEvaluator(layout: layout)
        let residentBefore = Self.residentBytes()
        let start = ContinuousClock.now
        let ids = try await source.bundleIDs()
        var evaluated: [EvaluatedBundle] = []
        evaluated.reserveCapacity(ids.count)
        try await source.forEachBatch(of: ids, size: 256) { batch in
            evaluated += await evaluator.evaluateEach(batch)
        }
        let elapsed = (ContinuousClock.now - start).milliseconds
        let held = Self.residentBytes() - residentBefore
        let bodies = evaluated.compactMap(\.body)
        let canonical = bodies.reduce(0) { $0 + $1.canonicalBytes.count }
        return BenchmarkResult(samples: [elapsed], detail: [
            "bundles": evaluated.count, "resident_bytes_added": held, "resident_bytes_per_bundle": held / max(evaluated.count, 1),
            "canonical_bytes_per_bundle": canonical / max(bodies.count, 1),
            "diagnostics": evaluated.reduce(0) { $0 + $1.diagnostics.count },
        ])
    }

    /// Resident memory of this process, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
