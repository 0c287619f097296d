import CLibgit2

/// What libgit2's remote callbacks reach through `payload` during one clone or fetch: the credentials (if any)
/// and the watchdog every callback reports to. Lives on the repository's thread for the duration of the call.
final class RemoteCallbacks {
    let provider: CredentialProvider?
    let watchdog: TransferWatchdog
    /// The remote as it may be shown (no user-info).
    let remote: String
    let network: GitNetworkOptions
    /// The port the URL names (ssh's 22 when none), for known_hosts' `[host]:port` entries.
    let port: Int
    /// Set when credentials were asked for and none are configured; replaces libgit2's jargon.
    private(set) var missingCredentials: String?
    /// Set when the server's host key or certificate was refused, in plain words.
    private(set) var certificateFailure: String?

    init(credentials: GitCredentials?, network: GitNetworkOptions, url: String) {
        provider = credentials.map(CredentialProvider.init)
        remote = GitURL.strippingUserInfo(url)
        self.network = network
        port = GitURL.port(of: url) ?? 22
        watchdog = TransferWatchdog(network, sshPort: GitURL.isSSH(url) ? port : nil)
    }

    /// Installs the callbacks on `callbacks`; `self` must outlive the libgit2 call.
    func install(on callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = Self.credentials
        callbacks.certificate_check = Self.certificateCheck
        callbacks.sideband_progress = Self.sideband
        callbacks.transfer_progress = Self.transfer
    }

    /// Runs the libgit2 call under the watchdog.
    func watch<T>(_ body: () throws(GitError) -> T) throws(GitError) -> T {
        try watchdog.watch(body)
    }

    /// The error a failed call reports: the watchdog's reason, the credential provider's, or libgit2's, with
    /// secrets scrubbed.
    func finish(_ error: GitError) -> GitError {
        var explained = watchdog.explain(error, remote: remote)
        if explained == error, let certificateFailure {
            explained = GitError(
                operation: error.operation, code: GIT_ECERTIFICATE.rawValue, errorClass: error.errorClass,
                message: certificateFailure)
        } else if explained == error, let missingCredentials {
            explained = GitError(
                operation: error.operation, code: GIT_EAUTH.rawValue, errorClass: error.errorClass,
                message: missingCredentials)
        }
        return provider?.finish(explained) ?? explained.redacting([])
    }

    private static func context(_ payload: UnsafeMutableRawPointer?) -> RemoteCallbacks? {
        payload.map { Unmanaged<RemoteCallbacks>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let credentials: git_credential_acquire_cb = { out, url, _, allowedTypes, payload in
        guard let out, let context = context(payload) else { return GIT_PASSTHROUGH.rawValue }
        guard context.watchdog.touch() == 0 else { return GIT_EUSER.rawValue }
        guard let provider = context.provider else {
            context.missingCredentials =
                "\(context.remote) asks for credentials; set repository.credentials (a token for https, "
                + "an sshKey for ssh)"
            return GIT_EAUTH.rawValue
        }
        return provider.acquire(out, allowedTypes: allowedTypes, url: url.map { String(cString: $0) } ?? context.remote)
    }

    private static let certificateCheck: git_transport_certificate_check_cb = { cert, valid, host, payload in
        guard let context = context(payload) else { return GIT_PASSTHROUGH.rawValue }
        guard context.watchdog.touch() == 0 else { return GIT_EUSER.rawValue }
        guard let cert else { return GIT_PASSTHROUGH.rawValue }
        return context.check(cert, valid: valid != 0, host: host.map { String(cString: $0) } ?? context.remote)
    }

    /// ssh: specsync's own known_hosts check when `repository.knownHosts` is set. https: libgit2's verdict,
    /// explained when it refuses.
    private func check(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32 {
        switch cert.pointee.cert_type {
        case GIT_CERT_HOSTKEY_LIBSSH2:
            let hostkey = UnsafeRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
            let sha256 = withUnsafeBytes(of: hostkey.hash_sha256) { Array($0) }
            let hasSHA256 = hostkey.type.rawValue & GIT_CERT_SSH_SHA256.rawValue != 0
            return checkHostKey(sha256: hasSHA256 ? sha256 : nil, valid: valid, host: host)
        case GIT_CERT_X509:
            if !valid { certificateFailure = Self.untrusted(host: host, caFile: network.caFile) }
            return GIT_PASSTHROUGH.rawValue
        default:
            return GIT_PASSTHROUGH.rawValue
        }
    }

    private func checkHostKey(sha256: [UInt8]?, valid: Bool, host: String) -> Int32 {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        guard let knownHosts = network.knownHosts else {
            if valid { return 0 }
            certificateFailure =
                "the ssh host key of \(name)\(sha256.map { " (\(KnownHosts.fingerprint($0)))" } ?? "") is not in "
                + "$HOME/.ssh/known_hosts, the only file read without repository.knownHosts; set "
                + "repository.knownHosts to a known_hosts file that lists the server's key"
            return GIT_ECERTIFICATE.rawValue
        }
        guard let sha256 else {
            certificateFailure = "libssh2 gave no SHA-256 of \(name)'s host key, so it cannot be checked"
            return GIT_ECERTIFICATE.rawValue
        }
        let fingerprint = KnownHosts.fingerprint(sha256)
        switch knownHosts.verdict(host: host, port: port, keySHA256: sha256) {
        case .trusted:
            return 0
        case .unknown:
            certificateFailure =
                "the ssh host key of \(name) (\(fingerprint)) is unknown: \(knownHosts.path) "
                + "(repository.knownHosts) has no entry for \(name); if this is the right server, add its key "
                + "(e.g. `ssh-keyscan\(port == 22 ? "" : " -p \(port)") -t ed25519 \(host) >> \(knownHosts.path)`) "
                + "after checking the fingerprint with its administrator"
        case .changed(let lines):
            certificateFailure =
                "the ssh host key of \(name) CHANGED: it is now \(fingerprint), which is not the key "
                + "\(knownHosts.path) lists for it (line \(lines.map(String.init).joined(separator: ", "))); "
                + "someone may be intercepting the connection, or the server was reinstalled; ask its "
                + "administrator before replacing the entry"
        case .revoked(let line):
            certificateFailure =
                "the ssh host key of \(name) (\(fingerprint)) is marked @revoked in \(knownHosts.path) "
                + "line \(line); specsync will not use it"
        }
        return GIT_ECERTIFICATE.rawValue
    }

    private static func untrusted(host: String, caFile: String?) -> String {
        let authorities = caFile.map { "the CA certificates in \($0) (repository.caFile)" } ?? "the system's CA bundle"
        if GitURL.isIPAddress(host) {
            return "the https certificate of \(host) is not trusted: libgit2 1.5.1 cannot match a certificate "
                + "against an IP address; use a host name that the certificate names (add it to /etc/hosts if "
                + "it has no DNS entry), or ssh"
        }
        return "the https certificate of \(host) is not trusted: it is not signed by \(authorities), has "
            + "expired, or does not name \(host); for a private CA set repository.caFile to its PEM file"
    }

    private static let sideband: git_transport_message_cb = { _, _, payload in
        context(payload)?.watchdog.touch() ?? 0
    }

    private static let transfer: git_indexer_progress_cb = { _, payload in
        context(payload)?.watchdog.touch() ?? 0
    }
}
