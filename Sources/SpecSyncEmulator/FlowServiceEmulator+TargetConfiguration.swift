extension FlowServiceEmulator {
    /// The YAML of one entry under `targets:` that points specsync at this emulator, with its
    /// identity; the client secret is read from `secretVariable`. Indented for direct use under
    /// `targets:`; `settings` are extra `flowService` lines (e.g. "concurrency: 2").
    public func targetConfiguration(name: String, secretVariable: String, settings: [String] = []) async throws -> String {
        let base = try await baseURL
        let lines = [
            "baseURL: \(base)/data/foundation/flowservice", "imsURL: \(base)", "orgId: \(configuration.orgID)",
            "sandbox: \(configuration.sandbox)", "clientId: \(configuration.clientID)", "clientSecret: {env: \(secretVariable)}",
        ] + settings
        return "  \(name):\n    flowService:\n" + lines.map { "      " + $0 }.joined(separator: "\n") + "\n"
    }
}
