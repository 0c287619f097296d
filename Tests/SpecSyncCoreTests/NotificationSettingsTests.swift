import Foundation
import SpecSyncCore
import Testing
import SpecSyncConfiguration

/// `notifications:` in the configuration.
@Suite("Notification settings")
struct NotificationSettingsTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/specsync.yaml")

    func parse(_ yaml: String) throws(ConfigurationError) -> Configuration {
        try ConfigurationLoader(environment: [:], currentDirectory: "/work/repo").parse(yaml, source: "/etc/specsync/specsync.yaml")
    }

    @Test("the commented example in Config/specsync.yaml, uncommented, reads as it says")
    func documentedExample() throws {
        let text = try String(contentsOf: Self.example, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "# notifications:"))
        var block: [String] = []
        for line in lines[start...] {
            guard line.hasPrefix("#") else { break }
            block.append(String(line.dropFirst(2)))
        }
        let receivers = try parse(block.joined(separator: "\n") + "\n").notifications
        #expect(receivers.map(\.name) == ["ops", "team-chat"])
        let ops = receivers[0]
        #expect(ops.kind == .webhook)
        #expect(ops.address == .url("https://hooks.example.com/specsync"))
        #expect(ops.secret == .credential("notify-secret"))
        #expect(ops.events == Set(NotificationEvent.allCases))
        #expect(ops.timeout == .seconds(10) && ops.retries == 2)
        let chat = receivers[1]
        #expect(chat.kind == .slack)
        #expect(chat.address == .secret(.credential("slack-webhook-url")))
        #expect(chat.events == [.passFailed, .quarantine, .recovered])
    }

    @Test("defaults: every event, 10 s, two retries; none without the key")
    func defaults() throws {
        #expect(try parse("bundles: {root: Sources}\n").notifications.isEmpty)
        let receiver = try #require(try parse("notifications:\n  hook: {type: webhook, url: \"http://127.0.0.1:9/x\"}\n").notifications.first)
        #expect(receiver.events == Set(NotificationEvent.allCases))
        #expect(receiver.timeout == .seconds(10) && receiver.retries == 2 && receiver.secret == nil)
    }

    @Test("mistakes name the key, the line and what to write", arguments: [
        ("notifications:\n  hook: {url: \"http://x.example/\"}\n", "notifications.hook needs type: webhook or slack"),
        ("notifications:\n  hook: {type: email, url: \"http://x.example/\"}\n", "notifications.hook.type must be webhook or slack; found 'email'"),
        ("notifications:\n  hook: {type: webhook}\n", "notifications.hook needs url"),
        ("notifications:\n  hook: {type: webhook, url: \"ftp://x.example/\"}\n", "'notifications.hook.url' must be an http(s) URL"),
        ("notifications:\n  hook: {type: webhook, url: \"http://x.example/\", events: []}\n", "notifications.hook.events is empty"),
        ("notifications:\n  hook: {type: webhook, url: \"http://x.example/\", retries: 11}\n", "'notifications.hook.retries' must be a number from 0 to 10"),
        ("notifications:\n  hook: {type: webhook, url: \"http://x.example/\", colour: red}\n", "unknown key 'colour' under 'notifications.hook'"),
        ("notifications:\n  - webhook\n", "'notifications' must be a mapping of receiver names"),
    ])
    func mistakes(yaml: String, expected: String) {
        do {
            _ = try parse(yaml)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.description.contains("specsync.yaml:2:") || error.description.contains("specsync.yaml:1:"), "\(error.description)")
        }
    }
}
