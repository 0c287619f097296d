import SpecSyncCore
import SpecSyncJSON

/// The bodies sent: JSON for a generic webhook, `{"text": …}` for a Slack-compatible one.
enum NotificationPayload {
    static func webhook(_ notification: PassNotification) -> [UInt8] {
        var object = JSONObject()
        object["source"] = .string("specsync")
        object["target"] = .string(notification.target)
        if let commit = notification.commit { object["commit"] = .string(commit) }
        object["events"] = .array(notification.events.sorted().map { .string($0.rawValue) })
        object["summary"] = .string(summary(notification))
        object["items"] = .array(notification.items.map { item in
            var entry = JSONObject()
            entry["event"] = .string(item.event.rawValue)
            if let bundle = item.bundle { entry["bundle"] = .string(bundle) }
            if let name = item.name { entry["name"] = .string(name) }
            if let reason = item.reason { entry["reason"] = .string(reason) }
            return .object(entry)
        })
        return Array(redacted(JSONValue.object(object).compactText).utf8)
    }

    static func slack(_ notification: PassNotification) -> [UInt8] {
        var lines = ["*specsync* \(escapeSlack(summary(notification)))"]
        for item in notification.items {
            var line = "• \(item.event.rawValue)"
            if let bundle = item.bundle { line += " `\(escapeSlack(bundle))`" }
            if let reason = item.reason { line += ": \(escapeSlack(reason))" }
            lines.append(line)
        }
        var object = JSONObject()
        object["text"] = .string(lines.joined(separator: "\n"))
        return Array(redacted(JSONValue.object(object).compactText).utf8)
    }

    /// "target prod at 1a2b3c4d5e6f: 2 bundle-failed, 1 recovered".
    static func summary(_ notification: PassNotification) -> String {
        let counts = notification.events.sorted().map { event in
            "\(notification.items.filter { $0.event == event }.count) \(event.rawValue)"
        }
        let at = notification.commit.map { " at \($0.prefix(12))" } ?? ""
        return "target \(notification.target)\(at): \(counts.joined(separator: ", "))"
    }

    /// Slack reads `&`, `<` and `>` as markup (links, mentions): a reason could otherwise ping a channel.
    static func escapeSlack(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;")
    }

    /// A second pass over the finished text: a secret the process knows never leaves it, whichever field held it.
    static func redacted(_ text: String) -> String { SecretRegistry.shared.redact(text) }
}
