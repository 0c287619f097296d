import SpecSyncCore
import SpecSyncEngine
import SpecSyncSource

/// A pass's summary: counts, and each failure with its reason.
struct SyncReportRenderer {
    let style: TerminalStyle

    func text(_ report: SyncReport, target: TargetSettings) -> String {
        var lines: [String] = []
        lines.append(style.bold("Synced commit \(report.commit.prefix(12)) to \(target.name)") + style.dim(" (\(target.identity.identity))"))
        for bundle in report.created { lines.append(style.green("  + created  \(bundle)")) }
        for bundle in report.adopted { lines.append(style.green("  + adopted  \(bundle)") + style.dim(" (found by name, updated)")) }
        for bundle in report.updated { lines.append(style.yellow("  ~ updated  \(bundle)")) }
        for failure in report.failed { lines.append(style.red("  ✗ failed   \(failure.bundle)") + ": \(failure.reason)") }
        for failure in report.invalid { lines.append(style.red("  ! invalid  \(failure.bundle)") + ": \(failure.reason)") }
        for bundle in report.quarantined { lines.append(style.red("  ! quarantined \(bundle)") + ": diverged again after every heal; change it in git or run with --force") }
        for bundle in report.registered { lines.append(style.green("  + registered \(bundle)") + style.dim(" in its flow spec")) }
        for bundle in report.pruned { lines.append(style.yellow("  - pruned   \(bundle)")) }
        if let refused = report.pruneRefused { lines.append(style.yellow("  prune: \(refused)")) }
        for bundle in report.deferred { lines.append(style.dim("  … deferred \(bundle): failing, waiting for its backoff")) }
        if report.stoppedEarly { lines.append(style.yellow("  stopped early: the remaining writes run on the next pass")) }
        for bundle in report.orphaned { lines.append(style.dim("  - orphan   \(bundle): removed from git, left untouched remotely")) }
        let hundredths = Int((report.duration / .milliseconds(10)).rounded())
        let seconds = "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
        let summary = "\(report.created.count + report.adopted.count) created, \(report.updated.count) updated, \(report.unchanged) unchanged, \(report.failed.count + report.invalid.count) failed"
            + (report.orphaned.isEmpty ? "" : ", \(report.orphaned.count) orphaned")
            + " in \(seconds) s"
        lines.append(report.isInSync ? style.green(summary) : style.red(summary))
        return lines.joined(separator: "\n")
    }

    func json(_ report: SyncReport, target: TargetSettings, statePath: String) -> JSONValue {
        func list(_ bundles: [BundleID]) -> JSONValue { .array(bundles.map { .string($0.source) }) }
        func failures(_ failures: [SyncReport.Failure]) -> JSONValue {
            .array(failures.map { failure in
                .object(JSONObject(["bundle": .string(failure.bundle.source), "name": failure.name.map(JSONValue.string) ?? .null,
                                    "reason": .string(failure.reason)]))
            })
        }
        var object = JSONObject()
        object["target"] = .string(target.name)
        object["commit"] = .string(report.commit)
        object["inSync"] = .bool(report.isInSync)
        object["created"] = list(report.created)
        object["adopted"] = list(report.adopted)
        object["updated"] = list(report.updated)
        object["unchanged"] = .number(String(report.unchanged))
        object["failed"] = failures(report.failed)
        object["invalid"] = failures(report.invalid)
        object["orphaned"] = list(report.orphaned)
        object["deferred"] = list(report.deferred)
        object["quarantined"] = list(report.quarantined)
        object["registered"] = list(report.registered)
        object["pruned"] = list(report.pruned)
        object["pruneRefused"] = report.pruneRefused.map(JSONValue.string) ?? .null
        object["durationMilliseconds"] = .number(String(report.duration.components.seconds * 1000 + report.duration.components.attoseconds / 1_000_000_000_000_000))
        object["state"] = .string(statePath)
        return .object(object)
    }
}
