import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine
import SpecSyncJSON
import SpecSyncSource

/// A pass's summary: each decision with what came of it, and counts made from the same entries.
struct SyncReportRenderer {
    let style: TerminalStyle
    var decisionRenderer: DecisionRenderer { DecisionRenderer(style: style) }

    func text(_ report: SyncReport, target: TargetSettings) -> String {
        var lines: [String] = []
        lines.append(style.bold("Synced commit \(report.commit.prefix(12)) to \(target.name)") + style.dim(" (\(target.identity.identity))"))
        for entry in report.entries where entry.result != .skipped || entry.decision.kind != .unchanged {
            lines.append(line(entry))
            switch entry.result {
            case .created, .adopted, .updated, .recorded: lines += decisionRenderer.warnings(entry.decision)
            default: break
            }
        }
        for bundle in report.registered { lines.append(style.green("  + registered \(bundle)") + style.dim(" in its flow spec")) }
        for bundle in report.alreadyListed { lines.append(style.dim("  = \(bundle) already listed in its flow spec (recorded)")) }
        for failure in report.registrationFailures { lines.append(style.red("  ✗ registration in \(failure.flowSpec)") + ": \(failure.reason)") }
        if let interruption = report.interruption {
            lines.append(style.red("  stopped: \(interruption); what is listed above was done and recorded"))
        } else if report.stoppedEarly {
            let reason = report.stopReason.map { "\($0); " } ?? ""
            lines.append(style.yellow("  stopped early: \(reason)the \(report.notStarted.count) write\(report.notStarted.count == 1 ? "" : "s") not started run on the next pass"))
        }
        if !report.leftOut.isEmpty {
            lines.append(style.yellow("  \(report.leftOut.count) changed bundle\(report.leftOut.count == 1 ? "" : "s") left out by --bundle (\(report.leftOut.map(\.source).joined(separator: ", "))): the last synced commit stays, so the next pass still syncs \(report.leftOut.count == 1 ? "it" : "them")"))
        }
        let hundredths = Int((report.duration / .milliseconds(10)).rounded())
        let seconds = "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
        var summary = "\(report.created.count) created, \(report.updated.count) updated, \(report.unchanged) unchanged, \(report.failed.count + report.invalid.count) failed"
        let more: [(Int, String)] = [
            (report.adopted.count, "adopted"), (report.recorded.count, "recorded without a write"),
            (report.deferred.count, "deferred"), (report.quarantined.count, "quarantined"), (report.orphaned.count, "orphaned"),
            (report.pruned.count, "pruned"), (report.marked.count, "marked orphan"), (report.forgotten.count, "forgotten"),
            (report.notStarted.count, "not started"),
        ]
        for (count, words) in more where count > 0 { summary += ", \(count) \(words)" }
        summary += " in \(seconds) s"
        lines.append(report.isInSync ? style.green(summary) : style.red(summary))
        return lines.joined(separator: "\n")
    }

    /// One entry: what was decided and what came of it, in the words plan used.
    func line(_ entry: SyncReport.Entry) -> String {
        let decision = entry.decision
        switch entry.result {
        case .created: return style.green("  + created  \(decision.bundle)")
        case .adopted: return style.green("  + adopted  \(decision.bundle)") + style.dim(" (\(decision.reason ?? "found by name, updated"))")
        case .updated: return style.yellow("  ~ updated  \(decision.bundle)")
        case .recorded: return style.green("  = recorded \(decision.bundle)") + style.dim(" (the remote already held git's body; nothing sent)")
        case .refused: return style.red("  ! \(decision.kind.rawValue.padding(8)) \(decision.bundle)") + ": \(decision.reason ?? "refused")"
        case .failed: return style.red("  ✗ failed   \(decision.bundle)") + ": \(decision.reason ?? "failed")"
        case .invalid: return style.red("  ! invalid  \(decision.bundle)") + ": \(decision.reason ?? "invalid")"
        case .pruned: return style.yellow("  - pruned   \(decision.bundle)") + style.dim(" (deleted remotely)")
        case .marked: return style.yellow("  - marked   \(decision.bundle)") + style.dim(" (\(decision.reason ?? "marked as an orphan"))")
        case .forgotten: return style.dim("  - forgot   \(decision.bundle): \(decision.reason ?? "record dropped")")
        case .notStarted: return style.yellow("  … not started \(decision.bundle)") + style.dim(" (\(decision.kind.rawValue); the pass stopped before this write)")
        case .skipped:
            switch decision.kind {
            case .deferred: return style.dim("  … deferred \(decision.bundle): \(decision.reason ?? "waiting for its backoff")")
            case .quarantined: return style.red("  ! quarantined \(decision.bundle)") + ": \(decision.reason ?? "diverged again after every heal; change it in git or run with --force")"
            case .orphan: return style.dim("  - orphan   \(decision.bundle): \(decision.reason ?? "removed from git, left untouched remotely")")
            default: return style.dim("  = \(decision.kind.rawValue) \(decision.bundle)")
            }
        }
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
        object["formatVersion"] = .number(String(DecisionRenderer.formatVersion))
        object["target"] = .string(target.name)
        object["commit"] = .string(report.commit)
        object["inSync"] = .bool(report.isInSync)
        object["stoppedBy"] = report.interruption.map(JSONValue.string) ?? .null
        object["created"] = list(report.created)
        object["adopted"] = list(report.adopted)
        object["updated"] = list(report.updated)
        object["recorded"] = list(report.recorded)
        object["unchanged"] = .number(String(report.unchanged))
        object["failed"] = failures(report.failed)
        object["invalid"] = failures(report.invalid)
        object["orphaned"] = list(report.orphaned)
        object["deferred"] = list(report.deferred)
        object["quarantined"] = list(report.quarantined)
        object["registered"] = list(report.registered)
        object["alreadyListed"] = list(report.alreadyListed)
        object["registrationFailures"] = .array(report.registrationFailures.map { failure in
            .object(JSONObject(["flowSpec": .string(failure.flowSpec), "bundles": list(failure.bundles), "reason": .string(failure.reason)]))
        })
        object["pruned"] = list(report.pruned)
        object["marked"] = list(report.marked)
        object["forgotten"] = list(report.forgotten)
        object["notStarted"] = list(report.notStarted)
        object["stoppedEarly"] = report.stoppedEarly ? .string(report.stopReason ?? report.interruption ?? "stopped") : .null
        object["leftOut"] = list(report.leftOut)
        object["decisions"] = .array(report.entries.filter { $0.decision.kind != .unchanged }.map { entry in
            var decision = decisionRenderer.json(entry.decision)
            decision["result"] = .string(entry.result.rawValue)
            return .object(decision)
        })
        object["durationMilliseconds"] = .number(String(report.duration.components.seconds * 1000 + report.duration.components.attoseconds / 1_000_000_000_000_000))
        object["state"] = .string(statePath)
        return .object(object)
    }
}
