import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// nginx serving `git http-backend` through fcgiwrap over TLS with basic auth, on a loopback port, with a
/// test CA made by openssl (the server certificate names DNS:localhost and IP:127.0.0.1).
public final class HTTPSGitServer: @unchecked Sendable {
    public static let nginx = "/usr/sbin/nginx"
    public static let fcgiwrap = "/usr/sbin/fcgiwrap"
    public static let backend = "/usr/lib/git-core/git-http-backend"

    public static var isInstalled: Bool {
        [nginx, fcgiwrap, backend, "/usr/bin/openssl"].allSatisfy(FileManager.default.isExecutableFile(atPath:))
    }

    /// In CI missing packages fail the tests; elsewhere they are skipped.
    public static var shouldRun: Bool { isInstalled || ProcessInfo.processInfo.environment["CI"] == "true" }
    public static let missing = "nginx-light, fcgiwrap or openssl is not installed (deploy/install-dependencies.sh installs them)"

    public let port: Int
    public let directory: TemporaryDirectory
    /// The CA that signed the server's certificate (PEM).
    public var caFile: String { directory.path + "/ca.pem" }
    /// Another CA, which signed nothing here.
    public var otherCAFile: String { directory.path + "/other-ca.pem" }
    private var servers: [ChildProcess] = []

    /// Serves the repositories under `root` as https://localhost:PORT/<name> to `username`/`token` only.
    public init(root: String, username: String, token: String) throws {
        directory = try TemporaryDirectory(prefix: "specsync-https")
        let dir = directory.path
        try Self.makeCertificates(in: dir)
        try directory.write("\(username):{PLAIN}\(token)\n", to: "htpasswd")
        try FileManager.default.createDirectory(atPath: dir + "/tmp", withIntermediateDirectories: true)
        port = try SSHServer.freePortNumber()
        let socket = dir + "/fcgiwrap.sock"
        try directory.write(
            """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log info;
            events { worker_connections 64; }
            http {
                access_log \(dir)/access.log;
                client_body_temp_path \(dir)/tmp/body;
                fastcgi_temp_path \(dir)/tmp/fastcgi;
                proxy_temp_path \(dir)/tmp/proxy;
                uwsgi_temp_path \(dir)/tmp/uwsgi;
                scgi_temp_path \(dir)/tmp/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    ssl_certificate \(dir)/server.pem;
                    ssl_certificate_key \(dir)/server.key;
                    location / {
                        auth_basic "git";
                        auth_basic_user_file \(dir)/htpasswd;
                        include /etc/nginx/fastcgi_params;
                        fastcgi_param SCRIPT_FILENAME \(Self.backend);
                        fastcgi_param GIT_PROJECT_ROOT \(root);
                        fastcgi_param GIT_HTTP_EXPORT_ALL "";
                        fastcgi_param PATH_INFO $uri;
                        fastcgi_param REMOTE_USER $remote_user;
                        fastcgi_pass unix:\(socket);
                    }
                }
            }

            """, to: "nginx.conf")
        servers.append(try SSHServer.spawnDetached(Self.fcgiwrap, ["-s", "unix:" + socket], log: dir + "/fcgiwrap.log"))
        servers.append(try SSHServer.spawnDetached(Self.nginx, ["-p", dir, "-c", dir + "/nginx.conf", "-e", dir + "/error.log"], log: dir + "/nginx.log"))
        guard SSHServer.waitUntilListening(port), FileManager.default.fileExists(atPath: socket) else {
            let log = (try? String(contentsOfFile: dir + "/error.log", encoding: .utf8)) ?? ""
            stop()
            throw FixtureError("nginx or fcgiwrap did not start: \(log)")
        }
    }

    public func url(_ name: String, host: String = "localhost") -> String { "https://\(host):\(port)/\(name)" }

    public var log: String { (try? String(contentsOfFile: directory.path + "/error.log", encoding: .utf8)) ?? "" }

    /// fcgiwrap runs as one process (no -c), nginx as one (master_process off).
    public func stop() {
        for server in servers { SSHServer.kill(server) }
        directory.remove()
    }

    private static func makeCertificates(in dir: String) throws {
        func openssl(_ arguments: [String]) throws {
            try ProcessRunner.checked("/usr/bin/openssl", arguments, in: URL(fileURLWithPath: dir))
        }
        for name in ["ca", "other-ca"] {
            try openssl([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).pem",
                "-days", "2", "-subj", "/CN=specsync test \(name)",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        }
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: dir + "/server.ext", atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        ])
    }
}
