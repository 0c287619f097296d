import SpecSyncCore

extension ConfigurationLoader {
    /// `notifications:` maps receiver names to `{type, url, secret, events, timeout, retries}`.
    func readNotifications(_ node: YAMLNode, reader: NodeReader) throws(ConfigurationError) -> [NotificationReceiverSettings] {
        guard case .mapping(let mapping, _) = node else {
            throw reader.error(node, "'notifications' must be a mapping of receiver names, each with type and url")
        }
        var receivers: [NotificationReceiverSettings] = []
        for (keyNode, value) in mapping {
            let name = try reader.string(keyNode, path: "notifications")
            let path = "notifications.\(name)"
            let section = try reader.mapping(value, path: path, allowed: ["type", "url", "secret", "events", "timeout", "retries"])
            guard let typeNode = section["type"] else { throw reader.error(value, "\(path) needs type: webhook or slack") }
            let typeText = try reader.string(typeNode, path: path + ".type")
            guard let kind = NotificationReceiverSettings.Kind(rawValue: typeText) else {
                throw reader.error(typeNode, "\(path).type must be webhook or slack; found '\(typeText)'")
            }
            guard let urlNode = section["url"] else {
                throw reader.error(value, "\(path) needs url: an http(s) URL, or {credential: NAME} | {env: NAME} | {file: PATH} holding one")
            }
            let address: NotificationReceiverSettings.Address
            if case .mapping = urlNode {
                address = .secret(try readSecret(urlNode, path: path + ".url", reader: reader))
            } else {
                address = .url(try self.value(urlNode, type: .url, path: path + ".url", reader: reader, base: currentDirectory).text)
            }
            var receiver = NotificationReceiverSettings(name: name, kind: kind, address: address)
            if let secret = section["secret"] {
                guard kind == .webhook else {
                    throw reader.error(secret, "\(path).secret signs webhook payloads; a slack receiver has no signature: remove it")
                }
                receiver.secret = try readSecret(secret, path: path + ".secret", reader: reader)
            }
            if let events = section["events"] {
                var wanted = Set<NotificationEvent>()
                guard case .sequence(let items, _) = events else { throw reader.error(events, "'\(path).events' must be a list") }
                for item in items {
                    let text = try reader.string(item, path: path + ".events")
                    guard let event = NotificationEvent(rawValue: text) else {
                        throw reader.error(item, "\(path).events: unknown event '\(text)'; known: \(NotificationEvent.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    wanted.insert(event)
                }
                guard !wanted.isEmpty else { throw reader.error(events, "\(path).events is empty: list the events, or remove the key for all of them") }
                receiver.events = wanted
            }
            if let timeout = section["timeout"] { receiver.timeout = try self.value(timeout, type: .duration, path: path + ".timeout", reader: reader, base: currentDirectory).duration! }
            if let retries = section["retries"] { receiver.retries = try self.value(retries, type: .integer(0...10), path: path + ".retries", reader: reader, base: currentDirectory).integer }
            receivers.append(receiver)
        }
        return receivers
    }
}
