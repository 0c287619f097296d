import CLibgit2

/// Answers libgit2's credential callback for one fetch or clone. Reached from the C callback through the
/// `payload` pointer; lives on the repository's thread for the duration of the call.
///
/// libgit2 asks again after every rejected credential, forever; this gives up after `maxAttempts`.
final class CredentialProvider {
    static let maxAttempts = 3

    let credentials: GitCredentials
    private(set) var attempts = 0
    /// Set when this provider refused to go on; replaces libgit2's vaguer error.
    private(set) var failure: String?

    init(_ credentials: GitCredentials) {
        self.credentials = credentials
    }

    func acquire(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, allowedTypes: UInt32, url: String)
        -> Int32
    {
        let allows = { (type: git_credential_t) in allowedTypes & type.rawValue != 0 }
        switch credentials {
        case .sshKey(let username, _, _, _) where allows(GIT_CREDENTIAL_USERNAME):
            // SSH first asks only for the user name when the URL has none; not an authentication attempt.
            return git_credential_username_new(out, username)
        default:
            break
        }
        attempts += 1
        guard attempts <= Self.maxAttempts else {
            failure =
                "\(GitURL.strippingUserInfo(url)) rejected the \(credentials) \(Self.maxAttempts) times; "
                + "check that it is valid and allowed to read the repository"
            return GIT_EAUTH.rawValue
        }
        switch credentials {
        case .token(let username, let token) where allows(GIT_CREDENTIAL_USERPASS_PLAINTEXT):
            return git_credential_userpass_plaintext_new(out, username, token)
        case .sshKey(let username, let privateKeyPath, let publicKeyPath, let passphrase)
        where allows(GIT_CREDENTIAL_SSH_KEY):
            return git_credential_ssh_key_new(out, username, publicKeyPath, privateKeyPath, passphrase)
        default:
            failure =
                "\(GitURL.strippingUserInfo(url)) asks for \(Self.describe(allowedTypes)), "
                + "but the configured credentials are a \(credentials)"
            return GIT_EAUTH.rawValue
        }
    }

    /// Turns a failed network call's error into the provider's own explanation when it gave up, and scrubs
    /// secrets either way.
    func finish(_ error: GitError) -> GitError {
        let explained =
            failure.map {
                GitError(
                    operation: error.operation, code: GIT_EAUTH.rawValue, errorClass: error.errorClass, message: $0)
            } ?? error
        return explained.redacting(credentials.secrets)
    }

    /// The C callback; `payload` is an unretained `CredentialProvider`.
    static let callback: git_credential_acquire_cb = { out, url, _, allowedTypes, payload in
        guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
        let provider = Unmanaged<CredentialProvider>.fromOpaque(payload).takeUnretainedValue()
        return provider.acquire(out, allowedTypes: allowedTypes, url: url.map { String(cString: $0) } ?? "the remote")
    }

    private static func describe(_ allowedTypes: UInt32) -> String {
        let names: [(git_credential_t, String)] = [
            (GIT_CREDENTIAL_USERPASS_PLAINTEXT, "a user name and password/token"),
            (GIT_CREDENTIAL_SSH_KEY, "an ssh key"),
            (GIT_CREDENTIAL_SSH_CUSTOM, "a custom ssh signature"),
            (GIT_CREDENTIAL_DEFAULT, "default (Negotiate/NTLM) credentials"),
            (GIT_CREDENTIAL_SSH_INTERACTIVE, "interactive ssh"),
            (GIT_CREDENTIAL_USERNAME, "a user name"),
            (GIT_CREDENTIAL_SSH_MEMORY, "an ssh key in memory"),
        ]
        let wanted = names.filter { allowedTypes & $0.0.rawValue != 0 }.map(\.1)
        return wanted.isEmpty ? "no credential type specsync supports" : wanted.joined(separator: " or ")
    }
}
