/// What a bundle describes, and so how its files are laid out, how its body is built and which
/// rules it must meet. One target syncs one kind of resource.
public enum ResourceKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// An Adobe Flow Service connection spec: `<root>/<source>/Artifacts/<source>-connectionSpec.json`
    /// and its sidecars.
    case connectionSpec
    /// A Flxpoint connection: `<root>/<name>.json`, `{connectionType, name, configs:[{handle, value}]}`.
    case flxpointConnection
    /// A Versori connection of one connector: `<root>/<connector>/<name>.json`,
    /// `{name, credentials, variables}`.
    case versoriConnection

    /// Folders between the root and a connection file: 0 for Flxpoint, 1 (the connector) for Versori.
    /// Nil for connection specs, which have a folder of their own.
    var groupDepth: Int? {
        switch self {
        case .connectionSpec: nil
        case .flxpointConnection: 0
        case .versoriConnection: 1
        }
    }

    /// "connection spec", "Flxpoint connection", "Versori connection": for messages.
    public var noun: String {
        switch self {
        case .connectionSpec: "connection spec"
        case .flxpointConnection: "Flxpoint connection"
        case .versoriConnection: "Versori connection"
        }
    }
}
