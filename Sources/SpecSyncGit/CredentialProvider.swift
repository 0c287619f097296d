import CLibgit2
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Answers libgit2's credential callback for one fetch or clone (through `RemoteCallbacks`); lives on the
/// repository's thread for the duration of the call.
///
/// libgit2 asks again after every rejected credential, forever; this gives up after `maxAttempts` for a token,
/// and after the first refusal for an ssh key: the same key will not be accepted on a second try, and every try
/// costs some of the server's `MaxAuthTries` (six in OpenSSH), after which it hangs up and libgit2 reports only
/// "Failed to retrieve list of SSH authentication methods".
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
        if case .sshKey(let username, let privateKeyPath, let publicKeyPath, _) = credentials {
            guard attempts == 1 else {
                failure = Self.sshKeyRefused(
                    url: url, username: username, privateKeyPath: privateKeyPath, publicKeyPath: publicKeyPath)
                return GIT_EAUTH.rawValue
            }
            if access(privateKeyPath, R_OK) != 0 {
                failure =
                    "cannot read the ssh private key \(privateKeyPath) (repository.credentials.sshKey.privateKey): "
                    + "\(String(cString: strerror(errno))); check the path, and that the user specsync runs as "
                    + "may read it (under systemd, load it with LoadCredential=)"
                return GIT_EAUTH.rawValue
            }
        }
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

    /// The server refused the key. An RSA key is most likely refused for its signature: libssh2 signs with
    /// SHA-1 (`ssh-rsa`), which OpenSSH 8.8 and later no longer accept by default.
    static func sshKeyRefused(url: String, username: String, privateKeyPath: String, publicKeyPath: String?) -> String {
        let server = GitURL.strippingUserInfo(url)
        let publicKey = publicKeyPath ?? privateKeyPath + ".pub"
        let keyType = (try? String(contentsOfFile: publicKey, encoding: .utf8))?.split(separator: " ").first
        if keyType == "ssh-rsa" {
            return "\(server) refused the RSA ssh key \(privateKeyPath) for '\(username)'. libgit2's ssh library "
                + "signs with RSA/SHA-1 (ssh-rsa), which OpenSSH 8.8 and later refuse by default; use an ed25519 "
                + "key instead (ssh-keygen -t ed25519), and add its public key to the server"
        }
        return "\(server) refused the ssh key \(privateKeyPath) for '\(username)'; check that its public key "
            + "(\(publicKey)) is in the server's authorized keys for that user and may read the repository"
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
