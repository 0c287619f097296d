extension FlowServiceEmulator {
    /// The YAML of one `kind: flxpoint` entry under `targets:` that points specsync at this
    /// emulator's Flxpoint; the token is read from `tokenVariable`. Indented for direct use under
    /// `targets:`; `settings` are extra `flxpoint` lines (e.g. "requestsPerSecond: 2").
    public func flxpointTargetConfiguration(name: String, tokenVariable: String, settings: [String] = []) async throws -> String {
        let lines = ["baseURL: \(try await flxpointURL)", "token: {env: \(tokenVariable)}"] + settings
        return "  \(name):\n    kind: flxpoint\n    flxpoint:\n" + lines.map { "      " + $0 }.joined(separator: "\n") + "\n"
    }

    /// The YAML of one `kind: versori` entry under `targets:` that points specsync at this
    /// emulator's Versori organisation; the API key is read from `keyVariable`. Indented for direct
    /// use under `targets:`; `settings` are extra `versori` lines.
    public func versoriTargetConfiguration(name: String, keyVariable: String, settings: [String] = []) async throws -> String {
        let lines = [
            "baseURL: \(try await versoriURL)", "organisation: \(configuration.versoriOrganisation)",
            "apiKey: {env: \(keyVariable)}",
        ] + settings
        return "  \(name):\n    kind: versori\n    versori:\n" + lines.map { "      " + $0 }.joined(separator: "\n") + "\n"
    }
}
