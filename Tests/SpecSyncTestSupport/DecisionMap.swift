import Foundation

/// Bundle → decision from specsync's JSON output: `plan --format json` lists them under `changes`,
/// `sync --once --format json` under `decisions`. Unchanged bundles are left out.
public enum DecisionMap {
    public static func read(_ stdout: String, key: String) -> [String: String] {
        let report = (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
        var decisions: [String: String] = [:]
        for entry in report[key] as? [[String: Any]] ?? [] {
            guard let bundle = entry["bundle"] as? String, let decision = entry["decision"] as? String, decision != "unchanged" else { continue }
            decisions[bundle] = decision
        }
        return decisions
    }
}
