import SpecSyncCore
import SpecSyncEngine
import SpecSyncSource
import SpecSyncConfiguration
import SpecSyncJSON

/// A plan as a pull-request comment: a marker line a CI job finds its earlier comment by, a summary
/// table, then one collapsible section per bundle with its field diff. Secrets are masked, and the
/// whole never exceeds `limit` characters (GitHub refuses comments past 65,536): what does not fit
/// is left out and a note says so.
struct PlanMarkdownRenderer {
    static let limit = 65_000
    var limit = Self.limit

    /// The first line, stable for a target: a CI job edits the comment that starts with it.
    static func marker(_ target: TargetSettings) -> String {
        "<!-- specsync-plan target=\(target.name.replacing("-->", with: "")) -->"
    }

    func markdown(
        _ plan: Plan, decisions: [Decision], target: TargetSettings, detection: DesiredState.Detection, remarks: [BundleID: String] = [:],
        leftOut: [BundleID] = []
    ) -> String {
        let counts = PlanRenderer.Counts(plan: plan, decisions: decisions)
        let shown = decisions.filter { $0.kind != .unchanged }
        var head: [String] = [Self.marker(target)]
        head.append("### specsync plan for `\(code(target.name))`")
        head.append("")
        head.append("Target `\(code(target.name))` (\(escape(target.identity.identity))) at commit `\(plan.commit?.prefix(12) ?? "-")`: \(PlanRenderer(style: TerminalStyle(enabled: false)).describe(detection)).")
        head.append("")
        head.append("**\(escape(counts.summary))**")
        if let note = PlanRenderer.leftOutNote(leftOut) { head += ["", "_\(escape(note))_"] }
        head.append("")
        var kinds = Decision.Kind.allCases.filter { counts.of($0) > 0 }.map { "| \(symbol($0)) \($0.rawValue) | \(counts.of($0)) |" }
        if kinds.isEmpty { kinds = ["| = unchanged | 0 |"] }
        head += ["| decision | bundles |", "|---|---:|"] + kinds
        if counts.writes == 0 && counts.refused == 0 && counts.invalid == 0 {
            head += ["", counts.orphaned > 0 ? "No writes pending; orphaned resources are left untouched remotely." : "No changes: the target matches git."]
        }

        var document = Budget(limit: limit)
        document.append(redact(head.joined(separator: "\n")))
        guard !shown.isEmpty else { return document.text }
        document.append("\n\n| bundle | decision | name | remote id |\n|---|---|---|---|")
        var rowsCut = 0
        for decision in shown {
            let row = "\n| `\(code(decision.bundle.source))` | \(symbol(decision.kind)) \(decision.kind.rawValue) | \(escape(decision.name ?? "")) | \(decision.remoteID.map { "`\(code($0))`" } ?? "") |"
            if !document.fits(redact(row), keeping: Self.noteReserve) { rowsCut += 1; continue }
            document.append(redact(row))
        }
        var sectionsCut = 0
        var diffsCut = 0
        for decision in shown {
            let full = redact(section(decision, remark: remarks[decision.bundle], withDiff: true))
            if document.fits(full, keeping: Self.noteReserve) { document.append(full); continue }
            let short = redact(section(decision, remark: remarks[decision.bundle], withDiff: false))
            if document.fits(short, keeping: Self.noteReserve) { document.append(short); diffsCut += 1; continue }
            sectionsCut += 1
        }
        if rowsCut + sectionsCut + diffsCut > 0 {
            var cut: [String] = []
            if rowsCut > 0 { cut.append("\(rowsCut) row\(rowsCut == 1 ? "" : "s") of the table") }
            if sectionsCut > 0 { cut.append("\(sectionsCut) bundle section\(sectionsCut == 1 ? "" : "s")") }
            if diffsCut > 0 { cut.append("the field diff of \(diffsCut) bundle\(diffsCut == 1 ? "" : "s")") }
            document.append("\n\n> **Cut to fit a comment (\(limit) characters):** \(cut.joined(separator: ", ")) left out. Run `specsync plan` (or `--format json`) for the whole plan.")
        }
        return document.text
    }

    /// Room kept for the note that says what was cut.
    static let noteReserve = 300

    func section(_ decision: Decision, remark: String?, withDiff: Bool) -> String {
        var lines = ["", "", "<details><summary><code>\(html(decision.bundle.source))</code>: \(symbol(decision.kind)) \(decision.kind.rawValue)\(decision.name.map { " “\(html($0))”" } ?? "")\(decision.remoteID.map { " (\(html($0)))" } ?? "")</summary>", ""]
        if let reason = decision.reason, decision.kind != .invalid { lines.append(escape(reason)); lines.append("") }
        if let remark { lines.append("_\(escape(remark))_"); lines.append("") }
        for warning in (decision.writes || decision.kind == .record ? decision.change?.diagnostics ?? [] : []) where warning.severity == .warning {
            lines.append("- warning: \(escape(warning.message))")
        }
        let diff = diffLines(decision)
        if withDiff, !diff.isEmpty {
            let fence = String(repeating: "`", count: max(3, longestBacktickRun(diff) + 1))
            lines += [fence + (decision.kind == .invalid ? "text" : "diff")] + diff + [fence]
        } else if !diff.isEmpty {
            lines.append("_The field diff (\(diff.count) line\(diff.count == 1 ? "" : "s")) is left out to fit the comment._")
        } else if let change = decision.change, decision.writes, change.action == .update {
            lines.append("Body hash `\(change.recordedHash?.prefix(12) ?? "-")` → `\(change.desiredHash?.prefix(12) ?? "-")` (the previous body is not available for a field diff).")
        }
        while lines.last == "" { lines.removeLast() }
        lines += ["", "</details>"]
        return lines.joined(separator: "\n")
    }

    /// The field diff as `diff` lines: a changed field is its old line and its new one.
    func diffLines(_ decision: Decision) -> [String] {
        guard let change = decision.change else { return [] }
        switch decision.kind {
        case .invalid:
            return change.diagnostics.filter { $0.severity == .error }.map { DiagnosticRenderer(style: TerminalStyle(enabled: false)).text($0) }
        case .create, .update, .adopt, .heal, .record:
            return (change.displayedDifferences ?? []).flatMap { difference -> [String] in
                switch difference.change {
                case .added(let value): ["+ \(difference.pointer): \(value.compactText)"]
                case .removed(let value): ["- \(difference.pointer): \(value.compactText)"]
                case .changed(let old, let new): ["- \(difference.pointer): \(old.compactText)", "+ \(difference.pointer): \(new.compactText)"]
                }
            }
        default:
            return []
        }
    }

    func symbol(_ kind: Decision.Kind) -> String { DecisionRenderer(style: TerminalStyle(enabled: false)).symbol(kind) }

    func longestBacktickRun(_ lines: [String]) -> Int {
        var longest = 0
        for line in lines {
            var run = 0
            for character in line { run = character == "`" ? run + 1 : 0; longest = max(longest, run) }
        }
        return longest
    }

    func redact(_ text: String) -> String { SecretRegistry.shared.redact(text) }

    /// Text in a table cell or a paragraph: no table breaks, no HTML, no emphasis by accident.
    func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "|", "*", "_", "`", "[", "]", "<", ">", "\\", "#": escaped += "\\" + String(character)
            case "\n", "\r": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Text inside a code span: a backtick would end it, a bar would end a table cell.
    func code(_ text: String) -> String {
        text.replacing("`", with: "'").replacing("|", with: "\\|").replacing("\n", with: " ")
    }

    func html(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\n", with: " ")
    }

    /// Text that grows only while it stays under its limit, counted in Unicode scalars (at least
    /// as many as the characters any site counts).
    struct Budget {
        let limit: Int
        private(set) var text = ""
        private var used = 0

        init(limit: Int) { self.limit = limit }

        func fits(_ part: String, keeping reserve: Int) -> Bool {
            used + part.unicodeScalars.count + reserve <= limit
        }

        mutating func append(_ part: String) {
            guard used + part.unicodeScalars.count <= limit else { return }
            text += part
            used += part.unicodeScalars.count
        }
    }
}
