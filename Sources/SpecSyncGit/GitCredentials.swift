/// How to authenticate to a remote. Descriptions and mirrors never show the secret parts, so logging a
/// configuration or an error that carries one cannot leak them.
public enum GitCredentials: Sendable, Hashable {
    /// HTTPS with a user name and a token (or password), sent as basic auth (`userpass_plaintext`).
    case token(username: String, token: String)
    /// SSH with a key pair on disk. `publicKeyPath` may be nil when libssh2 can derive it from the private key.
    case sshKey(username: String, privateKeyPath: String, publicKeyPath: String?, passphrase: String?)

    public var username: String {
        switch self {
        case .token(let username, _), .sshKey(let username, _, _, _): username
        }
    }

    /// The values that must be scrubbed from anything shown to a user.
    var secrets: [String] {
        switch self {
        case .token(_, let token): [token]
        case .sshKey(_, _, _, let passphrase): passphrase.map { [$0] } ?? []
        }
    }
}

extension GitCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        switch self {
        case .token(let username, _):
            "token for '\(username)'"
        case .sshKey(let username, let privateKeyPath, _, let passphrase):
            "ssh key \(privateKeyPath) for '\(username)'\(passphrase == nil ? "" : " (with passphrase)")"
        }
    }

    public var debugDescription: String { "GitCredentials(\(description))" }

    public var customMirror: Mirror {
        Mirror(self, children: ["description": description], displayStyle: .enum)
    }
}
