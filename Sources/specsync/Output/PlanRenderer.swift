import SpecSyncGit
import SpecSyncCore
import SpecSyncSource

/// A plan as text for people (Terraform-like symbols) or JSON for tools.
struct PlanRenderer {
    let style: TerminalStyle

    func text(_ plan: Plan, target: TargetSettings, detection: DesiredState.Detection, remarks: [BundleID: String] = [:]) -> String {
        var lines: [String] = []
        lines.append(style.bold("Plan for target \(target.name)") + " (\(target.identity.identity))")
        lines.append("  commit \(plan.commit?.prefix(12) ?? "-"): " + describe(detection))
        lines.append("")
        for change in plan.changes where change.action != .unchanged {
            lines += text(change)
            if let remark = remarks[change.bundle] { lines.append(style.cyan("      remote: \(remark)")) }
        }
        let unchanged = plan.count(.unchanged)
        if unchanged > 0 { lines.append(style.dim("  = \(unchanged) unchanged")) }
        lines.append("")
        lines.append(style.bold("Plan: \(plan.count(.create)) to create, \(plan.count(.update)) to update, \(plan.count(.unchanged)) unchanged, \(plan.count(.orphan)) orphaned, \(plan.count(.invalid)) invalid."))
        if !plan.hasPendingWrites && plan.count(.invalid) == 0 { lines.append(style.green("No changes: the target matches git.")) }
        return lines.joined(separator: "\n")
    }

    func describe(_ detection: DesiredState.Detection) -> String {
        switch detection {
        case .treeDiff(let base): "changes since \(base.hex.prefix(12)) (tree diff)"
        case .fullScan(let reason): "every bundle compared (\(reason))"
        }
    }

    func text(_ change: PlannedChange) -> [String] {
        let name = change.name.map { " \"\($0)\"" } ?? ""
        let remote = change.remoteID.map { " id \($0)" } ?? ""
        var lines: [String] = []
        switch change.action {
        case .create:
            lines.append(style.green("  + create  \(change.bundle)") + name)
            let fields = change.createdFieldCount ?? 0
            lines.append(style.dim("      \(fields) top-level field\(fields == 1 ? "" : "s") in the new body"))
        case .update:
            let renamed = change.renamedFrom.map { " (renamed from \($0))" } ?? ""
            lines.append(style.yellow("  ~ update  \(change.bundle)") + name + style.dim(remote + renamed))
            if let differences = change.displayedDifferences {
                lines += differences.map { "      " + text($0) }
                if differences.isEmpty { lines.append(style.dim("      (only the state record changes)")) }
            } else {
                lines.append(style.dim("      body hash \(change.recordedHash?.prefix(12) ?? "-") → \(change.desiredHash?.prefix(12) ?? "-") (previous body not available for a field diff)"))
            }
        case .orphan:
            lines.append(style.red("  - orphan  \(change.bundle)") + name + style.dim(remote + ": removed from git; left untouched"))
        case .invalid:
            let errors = change.diagnostics.filter { $0.severity == .error }
            lines.append(style.red("  ! invalid \(change.bundle)") + name + style.dim(": not sent, the remote keeps what it has"))
            lines += errors.map { "      " + DiagnosticRenderer(style: style).text($0).replacing("\n", with: "\n      ") }
        case .unchanged:
            break
        }
        return lines
    }

    func text(_ difference: JSONDifference) -> String {
        switch difference.change {
        case .added(let value): style.green("+ \(difference.pointer): \(value.compactText)")
        case .removed(let value): style.red("- \(difference.pointer): \(value.compactText)")
        case .changed(let old, let new): style.yellow("~ \(difference.pointer): \(old.compactText) → \(new.compactText)")
        }
    }

    func json(_ plan: Plan, target: TargetSettings, detection: DesiredState.Detection, remarks: [BundleID: String] = [:]) -> JSONValue {
        var summary = JSONObject()
        for action in PlannedChange.Action.allCases { summary[action.rawValue] = .number(String(plan.count(action))) }
        var object = JSONObject()
        object["target"] = .object(JSONObject([
            "name": .string(target.name), "kind": .string(target.identity.kind), "identity": .string(target.identity.identity),
        ]))
        object["commit"] = plan.commit.map(JSONValue.string) ?? .null
        object["baseCommit"] = plan.baseCommit.map(JSONValue.string) ?? .null
        switch detection {
        case .treeDiff: object["detection"] = .string("treeDiff")
        case .fullScan(let reason): object["detection"] = .string("fullScan"); object["detectionReason"] = .string(reason)
        }
        object["summary"] = .object(summary)
        object["pendingWrites"] = .bool(plan.hasPendingWrites)
        object["changes"] = .array(plan.changes.map { change in
            guard let remark = remarks[change.bundle], case .object(var entry) = json(change) else { return json(change) }
            entry["remote"] = .string(remark)
            return .object(entry)
        })
        return .object(object)
    }

    func json(_ change: PlannedChange) -> JSONValue {
        var object = JSONObject()
        object["bundle"] = .string(change.bundle.source)
        object["action"] = .string(change.action.rawValue)
        object["name"] = change.name.map(JSONValue.string) ?? .null
        object["remoteId"] = change.remoteID.map(JSONValue.string) ?? .null
        if let renamed = change.renamedFrom { object["renamedFrom"] = .string(renamed.source) }
        object["desiredHash"] = change.desiredHash.map(JSONValue.string) ?? .null
        object["recordedHash"] = change.recordedHash.map(JSONValue.string) ?? .null
        if let differences = change.displayedDifferences {
            object["differences"] = .array(differences.map { difference in
                var entry = JSONObject()
                entry["pointer"] = .string(difference.pointer.description)
                switch difference.change {
                case .added(let value): entry["op"] = .string("add"); entry["value"] = value
                case .removed(let value): entry["op"] = .string("remove"); entry["old"] = value
                case .changed(let old, let new): entry["op"] = .string("replace"); entry["old"] = old; entry["value"] = new
                }
                return .object(entry)
            })
        }
        if !change.diagnostics.isEmpty { object["diagnostics"] = .array(change.diagnostics.map(DiagnosticRenderer.json)) }
        return .object(object)
    }
}
