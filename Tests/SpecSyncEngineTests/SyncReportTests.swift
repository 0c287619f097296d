import Foundation
import SpecSyncCore
@testable import SpecSyncEngine
import Testing

/// The report's lists, counts and order, which the summary and the exit code are made from.
@Suite("Sync report")
struct SyncReportTests {
    func report(_ entries: [(Decision.Kind, String, SyncReport.Result)]) -> SyncReport {
        var report = SyncReport()
        for (kind, bundle, result) in entries { report.add(Decision(kind, bundle: BundleID(bundle), name: "\(bundle) source", reason: "because"), result) }
        return report
    }

    @Test("each list holds exactly the entries of its result (and kind), in the order they were added")
    func lists() {
        let report = report([
            (.create, "c2", .created), (.update, "u", .updated), (.create, "c1", .created), (.adopt, "a", .adopted),
            (.record, "r", .recorded), (.conflict, "x", .refused), (.update, "f", .failed), (.invalid, "i", .invalid),
            (.deferred, "d", .skipped), (.quarantined, "q", .skipped), (.orphan, "o", .skipped), (.prune, "p", .pruned),
            (.prune, "m", .marked), (.forget, "g", .forgotten), (.create, "n", .notStarted), (.unchanged, "s", .skipped),
        ])
        #expect(report.created == ["c2", "c1"])
        #expect(report.updated == ["u"] && report.adopted == ["a"] && report.recorded == ["r"])
        #expect(report.failed.map { $0.bundle } == ["x", "f"])
        #expect(report.failed.map { $0.reason } == ["because", "because"])
        #expect(report.invalid.map { $0.bundle } == ["i"])
        #expect(report.deferred == ["d"] && report.quarantined == ["q"] && report.orphaned == ["o"])
        #expect(report.pruned == ["p"] && report.marked == ["m"] && report.forgotten == ["g"] && report.notStarted == ["n"])
        #expect(report.unchanged == 1)
        #expect(report.writes == 4)
    }

    @Test("in sync unless something failed, was refused or invalid, waits for its backoff or quarantine, or the pass stopped")
    func inSync() {
        let settled: [(Decision.Kind, String, SyncReport.Result)] = [
            (.create, "c", .created), (.unchanged, "s", .skipped), (.orphan, "o", .skipped), (.prune, "p", .pruned),
        ]
        #expect(report(settled).isInSync)
        for unsettled: (Decision.Kind, String, SyncReport.Result) in [
            (.update, "f", .failed), (.conflict, "x", .refused), (.invalid, "i", .invalid), (.deferred, "d", .skipped), (.quarantined, "q", .skipped),
        ] {
            #expect(!report(settled + [unsettled]).isInSync, "\(unsettled)")
        }
        var stopped = report(settled)
        stopped.stoppedEarly = true
        #expect(!stopped.isInSync)
        var unregistered = report(settled)
        unregistered.registrationFailures = [.init(flowSpec: "fs", bundles: ["c"], reason: "down")]
        #expect(!unregistered.isInSync)
    }

    @Test("sorting orders the entries by the bytes of their names and keeps each with its result")
    func sorting() {
        var report = report([(.create, "b", .created), (.update, "a", .failed), (.create, "B", .created), (.create, "a-2", .created)])
        report.registered = ["b", "B"]
        report.sort()
        #expect(report.entries.map(\.decision.bundle) == ["B", "a", "a-2", "b"])
        #expect(report.entries.map(\.result) == [.created, .failed, .created, .created])
        #expect(report.registered == ["B", "b"])
    }
}
