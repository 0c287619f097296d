import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary folder (as the `postgres`
/// user when the tests run as root, which `initdb` refuses), a server on a free 127.0.0.1 port with
/// password (SCRAM) authentication, started once per test process and stopped when it exits.
/// Each test takes a database of its own (`makeDatabase`).
public final class PostgresCluster: Sendable {
    public static let user = "specsync"
    public let password: String
    public let port: Int
    let directory: String
    let binaries: String
    let runAsPostgres: Bool

    /// Where Debian and other systems put the server's programs; nil when PostgreSQL is absent.
    public static let binaryDirectory: String? = {
        let fixed = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin", "/usr/local/pgsql/bin", "/usr/bin"]
        let versioned = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed()
            .map { "/usr/lib/postgresql/\($0)/bin" }
        return (fixed + versioned).first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") && FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
    }()

    /// Whether the PostgreSQL tests run: PostgreSQL is installed, or CI insists (then its absence fails them).
    public static var shouldRun: Bool { binaryDirectory != nil || isCI }
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    /// Said by every test skipped for lack of PostgreSQL, in the test run's own output.
    public static let skipNote = "SKIPPED: PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin); install Debian's postgresql (deploy/install-dependencies.sh) to run the PostgreSQL state backend tests. Under CI=true they fail instead."

    private static let started = Mutex<PostgresCluster?>(nil)

    /// The cluster of this test process, started on first use.
    public static func shared() async throws -> PostgresCluster {
        try await BlockingWork.run {
            try started.withLock { current in
                if let current { return current }
                let cluster = try PostgresCluster()
                current = cluster
                atexit { PostgresCluster.stopShared() }
                return cluster
            }
        }
    }

    private static func stopShared() {
        started.withLock { $0?.stop() }
    }

    private init() throws {
        guard let binaries = Self.binaryDirectory else {
            throw ProcessFailure(command: ["initdb"], result: ProcessResult(status: -1, stdout: "", stderr: "\(Self.skipNote)"))
        }
        self.binaries = binaries
        runAsPostgres = geteuid() == 0
        directory = NSTemporaryDirectory() + "specsync-postgres-\(UUID().uuidString)"
        password = "pg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/socket", withIntermediateDirectories: true)
        try Data(password.utf8).write(to: URL(fileURLWithPath: directory + "/password"))
        if runAsPostgres { try ProcessRunner.checked("chown", ["-R", "postgres:postgres", directory]) }
        try ProcessRunner.checked(binaries + "/initdb", as: runAsPostgres, arguments: [
            "-D", directory + "/data", "-U", Self.user, "--auth=scram-sha-256", "--pwfile=" + directory + "/password",
            "-E", "UTF8", "--locale=C", "--no-sync",
        ])
        port = try Self.freePort()
        try ProcessRunner.checked(binaries + "/pg_ctl", as: runAsPostgres, arguments: [
            "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "-o",
            "-p \(port) -k \(directory)/socket -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
            "start",
        ])
    }

    /// Stops the server at once (nothing in it is worth a clean shutdown) and removes its folder.
    public func stop() {
        _ = try? ProcessRunner.checked(binaries + "/pg_ctl", as: runAsPostgres, arguments: ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A new, empty database; its URL for `state.postgres.url`.
    public func makeDatabase() throws -> String {
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try sql("CREATE DATABASE \(name)", database: "postgres")
        return name
    }

    public func url(database: String) -> String { "postgres://\(Self.user)@127.0.0.1:\(port)/\(database)" }

    /// Runs `statement` with psql and returns its rows, one line each, columns separated by '|'.
    @discardableResult
    public func sql(_ statement: String, database: String) throws -> String {
        let result = try ProcessRunner.checked(binaries + "/psql", [
            "-h", "127.0.0.1", "-p", String(port), "-U", Self.user, "-d", database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", statement,
        ], environment: ProcessInfo.processInfo.environment.merging(["PGPASSWORD": password]) { $1 })
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func freePort() throws -> Int {
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
        guard ok else { throw ProcessFailure(command: ["bind"], result: ProcessResult(status: -1, stdout: "", stderr: "no free port on 127.0.0.1")) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension ProcessRunner {
    /// Runs a server program, as the `postgres` user when `asPostgres` (the tests run as root), and waits
    /// for the program alone: the server `pg_ctl start` leaves running inherits no descriptor of this
    /// process but its standard three, all on one log file (see `ChildProcess`).
    @discardableResult
    static func checked(_ program: String, as asPostgres: Bool, arguments: [String]) throws -> ProcessResult {
        let command = (asPostgres ? ["runuser", "-u", "postgres", "--", program] : [program]) + arguments
        let output = NSTemporaryDirectory() + "specsync-pg-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let child = try ChildProcess(command[0], Array(command.dropFirst()),
                                     standardOutput: .file(output, append: true), standardError: .file(output, append: true))
        child.waitUntilExit()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let result = ProcessResult(status: child.terminationStatus, stdout: text, stderr: "")
        guard result.status == 0 else { throw ProcessFailure(command: command, result: result) }
        return result
    }
}
