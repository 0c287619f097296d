import SpecSyncConfiguration
import SpecSyncCore
import SpecSyncJSON

/// One line of `specsync check`: what was checked, for which target, how it went and, when it
/// failed, what to do. Never holds a secret's value, only where it is read from.
struct CheckResult: Sendable {
    enum Status: String, Sendable {
        case ok, failed, skipped
    }

    /// The target's name; nil for checks of the whole configuration (the file, the repository).
    var target: String?
    /// A short name: "configuration", "secret", "token", "api", "flow spec", "repository".
    var check: String
    var status: Status
    /// What was found, in words.
    var message: String
    /// What to do; set when the check failed.
    var help: String?

    static func ok(_ target: String?, _ check: String, _ message: String) -> CheckResult {
        CheckResult(target: target, check: check, status: .ok, message: message)
    }

    static func failed(_ target: String?, _ check: String, _ message: String, help: String) -> CheckResult {
        CheckResult(target: target, check: check, status: .failed, message: message, help: help)
    }

    static func skipped(_ target: String?, _ check: String, _ message: String) -> CheckResult {
        CheckResult(target: target, check: check, status: .skipped, message: message)
    }

    /// One line: mark, where, what, and for a failure what to do.
    func line(style: TerminalStyle) -> String {
        let mark = switch status {
        case .ok: style.green("✓")
        case .failed: style.red("✗")
        case .skipped: style.dim("-")
        }
        let subject = [target.map { "target \($0)" }, check].compactMap { $0 }.joined(separator: ", ")
        var text = "\(mark) \(subject): \(message)"
        if let help { text += " — " + help }
        return status == .failed ? style.red(text) : text
    }

    var json: JSONValue {
        var object = JSONObject()
        object["target"] = target.map(JSONValue.string) ?? .null
        object["check"] = .string(check)
        object["status"] = .string(status.rawValue)
        object["message"] = .string(message)
        object["help"] = help.map(JSONValue.string) ?? .null
        return .object(object)
    }
}
