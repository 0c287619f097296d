#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncEngine
import SpecSyncJSON

/// One decision as plan and sync both show it: the same words, symbols and JSON members in both,
/// so that what a plan said can be found again in what the sync did.
struct DecisionRenderer {
    let style: TerminalStyle

    /// JSON output's version: 2 added the reconciler's decisions (`decision`, `reason`, `foreign`).
    static let formatVersion = 2

    /// The headline of a decision: symbol, word, bundle, name, remote id.
    func headline(_ decision: Decision) -> String {
        let name = decision.name.map { " \"\($0)\"" } ?? ""
        let remote = decision.remoteID.map { " id \($0)" } ?? ""
        let renamed = decision.renamedFrom.map { " (renamed from \($0))" } ?? ""
        let word = decision.kind.rawValue.padding(7)
        let text = "\(symbol(decision.kind)) \(word) \(decision.bundle)"
        switch decision.kind {
        case .create, .adopt, .record: return style.green("  " + text) + name + style.dim(remote)
        case .update, .heal: return style.yellow("  " + text) + name + style.dim(remote + renamed)
        case .prune, .orphan, .forget: return style.red("  " + text) + name + style.dim(remote)
        case .conflict, .missing, .ambiguous, .invalid, .quarantined: return style.red("  " + text) + name + style.dim(remote)
        case .deferred, .unchanged: return style.dim("  " + text) + name + style.dim(remote)
        }
    }

    func symbol(_ kind: Decision.Kind) -> String {
        switch kind {
        case .create, .adopt: "+"
        case .update, .heal: "~"
        case .record, .unchanged: "="
        case .orphan, .prune, .forget: "-"
        case .deferred: "…"
        case .conflict, .missing, .ambiguous, .invalid, .quarantined: "!"
        }
    }

    /// The lines under the headline: why, and who else holds the name.
    func details(_ decision: Decision) -> [String] {
        var lines: [String] = []
        if let reason = decision.reason, decision.kind != .invalid { lines.append(style.dim("      " + reason)) }
        if let retryAt = decision.retryAt { lines.append(style.dim("      next attempt after \(retryAt.formatted(.iso8601))")) }
        return lines
    }

    /// The bundle's warnings (fields the server owns dropped, `variables` sent as `[]`, …), which
    /// validate shows too: a body that is sent with them is sent knowingly.
    func warnings(_ decision: Decision) -> [String] {
        guard decision.writes || decision.kind == .record else { return [] }
        return (decision.change?.diagnostics ?? []).filter { $0.severity == .warning }.map { warning in
            style.yellow("      warning: ") + warning.message + (warning.help.map { style.dim(" (\($0))") } ?? "")
        }
    }

    func json(_ decision: Decision) -> JSONObject {
        var object = JSONObject()
        object["bundle"] = .string(decision.bundle.source)
        object["decision"] = .string(decision.kind.rawValue)
        object["name"] = decision.name.map(JSONValue.string) ?? .null
        object["remoteId"] = decision.remoteID.map(JSONValue.string) ?? .null
        if let renamed = decision.renamedFrom { object["renamedFrom"] = .string(renamed.source) }
        if let reason = decision.reason { object["reason"] = .string(reason) }
        if let mode = decision.pruneMode { object["prune"] = .string(mode.rawValue) }
        if let retryAt = decision.retryAt { object["retryAt"] = .string(retryAt.formatted(.iso8601)) }
        if let recorded = decision.recordedRevision { object["recordedRevision"] = .string(recorded) }
        if let remote = decision.remoteRevision { object["remoteRevision"] = .string(remote) }
        if !decision.foreign.isEmpty {
            object["foreign"] = .array(decision.foreign.map { owner in
                .object(JSONObject([
                    "id": .string(owner.id), "createdClient": owner.createdClient.map(JSONValue.string) ?? .null,
                    "imsOrgId": owner.imsOrgId.map(JSONValue.string) ?? .null,
                ]))
            })
        }
        return object
    }
}

extension String {
    /// The string followed by spaces up to `width` characters.
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
