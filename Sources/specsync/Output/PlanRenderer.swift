import SpecSyncConfiguration
import SpecSyncGit
import SpecSyncCore
import SpecSyncEngine
import SpecSyncJSON
import SpecSyncSource

/// A plan as text for people (Terraform-like symbols) or JSON for tools: the reconciler's decisions,
/// each with the git-vs-state change it came from (field diffs, diagnostics).
struct PlanRenderer {
    let style: TerminalStyle
    var decisionRenderer: DecisionRenderer { DecisionRenderer(style: style) }

    func text(
        _ plan: Plan, decisions: [Decision], target: TargetSettings, detection: DesiredState.Detection, remarks: [BundleID: String] = [:],
        leftOut: [BundleID] = []
    ) -> String {
        var lines: [String] = []
        lines.append(style.bold("Plan for target \(target.name)") + " (\(target.identity.identity))")
        lines.append("  commit \(plan.commit?.prefix(12) ?? "-"): " + describe(detection))
        lines.append("")
        for decision in decisions where decision.kind != .unchanged {
            lines.append(decisionRenderer.headline(decision))
            lines += body(decision)
            lines += decisionRenderer.details(decision)
            lines += decisionRenderer.warnings(decision)
            if let remark = remarks[decision.bundle] { lines.append(style.cyan("      \(remark)")) }
        }
        let counts = Counts(plan: plan, decisions: decisions)
        if counts.unchanged > 0 { lines.append(style.dim("  = \(counts.unchanged) unchanged")) }
        lines.append("")
        lines.append(style.bold(counts.summary))
        if let note = Self.leftOutNote(leftOut) { lines.append(style.yellow(note)) }
        if counts.writes == 0 && counts.refused == 0 && counts.invalid == 0 {
            if counts.orphaned > 0 {
                lines.append(style.yellow("No writes pending; \(counts.orphaned) orphaned resource\(counts.orphaned == 1 ? " is" : "s are") left untouched remotely."))
            } else {
                lines.append(style.green("No changes: the target matches git."))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// What `--bundle` left out, when it left out a changed bundle.
    static func leftOutNote(_ leftOut: [BundleID]) -> String? {
        guard !leftOut.isEmpty else { return nil }
        return "\(leftOut.count) changed bundle\(leftOut.count == 1 ? "" : "s") left out by --bundle: \(leftOut.map(\.source).joined(separator: ", "))"
    }

    func describe(_ detection: DesiredState.Detection) -> String {
        switch detection {
        case .treeDiff(let base): "changes since \(base.hex.prefix(12)) (tree diff)"
        case .fullScan(let reason): "every bundle compared (\(reason))"
        }
    }

    /// What changes in the body: the new body's size for a create, the field diff for a write over
    /// an existing resource, the errors of an invalid bundle.
    func body(_ decision: Decision) -> [String] {
        guard let change = decision.change else { return [] }
        switch decision.kind {
        case .create:
            let fields = change.createdFieldCount ?? 0
            return [style.dim("      \(fields) top-level field\(fields == 1 ? "" : "s") in the new body")]
        case .update, .adopt, .heal:
            guard change.action == .update else { return [] }
            if let differences = change.displayedDifferences {
                return differences.isEmpty ? [style.dim("      (only the state record changes)")] : differences.map { "      " + text($0) }
            }
            return [style.dim("      body hash \(change.recordedHash?.prefix(12) ?? "-") → \(change.desiredHash?.prefix(12) ?? "-") (previous body not available for a field diff)")]
        case .invalid:
            let errors = change.diagnostics.filter { $0.severity == .error }
            return [style.dim("      not sent, the remote keeps what it has")]
                + errors.map { "      " + DiagnosticRenderer(style: style).text($0).replacing("\n", with: "\n      ") }
        default:
            return []
        }
    }

    func text(_ difference: JSONDifference) -> String {
        switch difference.change {
        case .added(let value): style.green("+ \(difference.pointer): \(value.compactText)")
        case .removed(let value): style.red("- \(difference.pointer): \(value.compactText)")
        case .changed(let old, let new): style.yellow("~ \(difference.pointer): \(old.compactText) → \(new.compactText)")
        }
    }

    func json(
        _ plan: Plan, decisions: [Decision], target: TargetSettings, detection: DesiredState.Detection, remarks: [BundleID: String] = [:],
        leftOut: [BundleID] = []
    ) -> JSONValue {
        let counts = Counts(plan: plan, decisions: decisions)
        var summary = JSONObject()
        for action in PlannedChange.Action.allCases { summary[action.rawValue] = .number(String(plan.count(action))) }
        var decided = JSONObject()
        for kind in Decision.Kind.allCases { decided[kind.rawValue] = .number(String(counts.of(kind))) }
        var object = JSONObject()
        object["formatVersion"] = .number(String(DecisionRenderer.formatVersion))
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
        object["decisions"] = .object(decided)
        object["pendingWrites"] = .bool(counts.writes > 0)
        object["leftOut"] = .array(leftOut.map { .string($0.source) })
        object["changes"] = .array(decisions.map { decision in
            var entry = decision.change.map(json) ?? JSONObject()
            for (key, value) in decisionRenderer.json(decision).members { entry[key] = value }
            if let remark = remarks[decision.bundle] { entry["remote"] = .string(remark) }
            return .object(entry)
        })
        return .object(object)
    }

    func json(_ change: PlannedChange) -> JSONObject {
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
        return object
    }

    /// The plan's numbers, from the decisions, as the summary line and JSON give them.
    struct Counts {
        let plan: Plan
        let decisions: [Decision]

        func of(_ kind: Decision.Kind) -> Int {
            decisions.lazy.filter { $0.kind == kind }.count + (kind == .unchanged ? plan.unlistedUnchanged : 0)
        }

        var unchanged: Int { of(.unchanged) }
        var writes: Int { decisions.lazy.filter(\.writes).count + of(.record) + of(.prune) + of(.forget) }
        var refused: Int { of(.conflict) + of(.missing) + of(.ambiguous) }
        var invalid: Int { of(.invalid) }
        var orphaned: Int { of(.orphan) }

        var summary: String {
            var text = "Plan: \(of(.create)) to create, \(of(.update)) to update, \(unchanged) unchanged, \(orphaned) orphaned, \(invalid) invalid"
            let more: [(Int, String)] = [
                (of(.adopt), "to adopt"), (of(.record), "to record (already remote)"), (of(.conflict), "conflict"),
                (of(.missing), "deleted outside git"), (of(.ambiguous), "ambiguous"), (of(.deferred), "deferred"),
                (of(.quarantined), "quarantined"), (of(.prune), "to prune"), (of(.forget), "to forget"),
            ]
            for (count, words) in more where count > 0 { text += ", \(count) \(words)" }
            return text + "."
        }
    }
}
