import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real OpenSSH `sshd` on a loopback port, with its own configuration, host key and authorized keys, run in
/// the foreground (`-D -e -f`) as the current user. git over ssh runs `git-upload-pack` through it.
public final class SSHServer: @unchecked Sendable {
    public static let sshd = "/usr/sbin/sshd"

    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: sshd) && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen")
    }

    /// In CI a missing openssh-server fails the tests; elsewhere they are skipped.
    public static var shouldRun: Bool { isInstalled || ProcessInfo.processInfo.environment["CI"] == "true" }
    public static let missing = "openssh-server is not installed (deploy/install-dependencies.sh installs it)"

    public let port: Int
    public let directory: TemporaryDirectory
    /// `ssh-ed25519 AAAA…`: the server's public host key.
    public let hostKey: String
    public let user: String
    private let server: ChildProcess

    /// Starts sshd accepting the public keys in `authorizedKeys` (paths of .pub files).
    public init(authorizedKeys: [String]) throws {
        directory = try TemporaryDirectory(prefix: "specsync-sshd")
        let dir = directory.path
        try Self.keygen(type: "ed25519", at: dir + "/host_ed25519")
        hostKey = try Self.publicKey(dir + "/host_ed25519.pub")
        let keys = try authorizedKeys.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        try directory.write(keys, to: "authorized_keys")
        user = String(cString: getpwuid(geteuid()).pointee.pw_name)
        port = try Self.freePortNumber()
        try directory.write(
            """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(dir)/host_ed25519
            PidFile \(dir)/sshd.pid
            AuthorizedKeysFile \(dir)/authorized_keys
            StrictModes no
            UsePAM no
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            LogLevel VERBOSE

            """, to: "sshd_config")
        if geteuid() == 0 { mkdir("/run/sshd", 0o755) }  // privilege separation needs it
        server = try Self.spawnDetached(Self.sshd, ["-D", "-e", "-f", dir + "/sshd_config"], log: dir + "/sshd.log")
        guard Self.waitUntilListening(port) else {
            let log = (try? String(contentsOfFile: dir + "/sshd.log", encoding: .utf8)) ?? ""
            stop()
            throw FixtureError("sshd did not start: \(log)")
        }
    }

    public func url(_ repository: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(repository)" }

    /// A known_hosts line for this server (`[127.0.0.1]:PORT ssh-ed25519 …`).
    public var knownHostsLine: String { "[127.0.0.1]:\(port) \(hostKey)\n" }

    public var log: String { (try? String(contentsOfFile: directory.path + "/sshd.log", encoding: .utf8)) ?? "" }

    /// SIGKILL, then reaped.
    public func stop() {
        Self.kill(server)
        directory.remove()
    }

    /// Starts a server: stdin and stdout on /dev/null, stderr appended to `log`, and no descriptor of
    /// this process but those three (see `ChildProcess` for why not Foundation's `Process`).
    public static func spawnDetached(_ executable: String, _ arguments: [String], log: String) throws -> ChildProcess {
        try ChildProcess(executable, arguments, standardError: .file(log, append: true))
    }

    /// Kills a server started by `spawnDetached` and waits until it is gone.
    public static func kill(_ server: ChildProcess) {
        server.signal(SIGKILL)
        server.waitUntilExit()
    }

    /// Makes a key pair without a passphrase: `path` and `path.pub`.
    public static func keygen(type: String, at path: String) throws {
        var arguments = ["-q", "-t", type, "-N", "", "-C", "specsync-test", "-f", path]
        if type == "rsa" { arguments += ["-b", "2048"] }
        try ProcessRunner.checked("/usr/bin/ssh-keygen", arguments)
    }

    /// `type base64` of a .pub file, without its comment.
    public static func publicKey(_ path: String) throws -> String {
        let fields = try String(contentsOfFile: path, encoding: .utf8).split(separator: " ")
        return fields.prefix(2).joined(separator: " ")
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    public static func freePortNumber() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard ok else { throw FixtureError("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts connections on 127.0.0.1:`port` within ten seconds.
    public static func waitUntilListening(_ port: Int) -> Bool {
        for _ in 0..<200 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(descriptor)
            if connected { return true }
            usleep(50_000)
        }
        return false
    }
}
