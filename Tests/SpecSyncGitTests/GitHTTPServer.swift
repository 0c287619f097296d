import Foundation
import SpecSyncTestSupport

/// A smart-HTTP git server on a loopback port that demands basic auth: Python's http.server in front of
/// `git http-backend`. It lets the tests drive libgit2's real credential callback. Counts rejected requests.
final class GitHTTPServer: @unchecked Sendable {
    let port: Int
    private let process: ChildProcess
    private let directory: TemporaryDirectory

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/lib/git-core/git-http-backend")
            && (try? ProcessRunner.run("python3", ["-c", "import http.server"]).status) == 0
    }

    /// Serves the repositories under `root` as http://127.0.0.1:PORT/<name>, for `username`/`token` only.
    /// With `stallAfter`, a pack (the answer to git-upload-pack) stops after that many bytes and the
    /// connection stays open without another byte: a server that hangs mid-transfer.
    init(root: String, username: String, token: String, stallAfter: Int? = nil) throws {
        directory = try TemporaryDirectory(prefix: "specsync-http")
        let script = try directory.write(Self.script, to: "server.py")
        let output = Pipe()
        process = try ChildProcess(
            "python3", [script.path, root, username, token, directory.path + "/rejected", String(stallAfter ?? -1)],
            environment: GitFixture.environment, standardOutput: .descriptor(output.fileHandleForWriting.fileDescriptor))
        try? output.fileHandleForWriting.close()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            directory.remove()
            throw FixtureError("the test HTTP server did not start")
        }
        self.port = port
    }

    func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name)" }

    /// How many requests were turned away with 401.
    var rejectedRequests: Int {
        (try? String(contentsOfFile: directory.path + "/rejected", encoding: .utf8))?.count ?? 0
    }

    func stop() {
        // SIGKILL: a stalled handler thread must not keep the server alive.
        process.signal(SIGKILL)
        process.waitUntilExit()
        directory.remove()
    }

    private static let script = #"""
        import base64, os, signal, subprocess, sys, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        # Started by Foundation's Process, a child inherited a signal mask with SIGTERM blocked; ChildProcess
        # clears it, and this stays for a server started any other way.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

        root, user, token, rejected = sys.argv[1:5]
        stall_after = int(sys.argv[5])
        expected = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.headers.get("Authorization") != expected:
                    with open(rejected, "a") as f:
                        f.write("x")
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="git"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path, _, query = self.path.partition("?")
                env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path,
                           QUERY_STRING=query, REQUEST_METHOD=self.command, REMOTE_USER=user,
                           CONTENT_TYPE=self.headers.get("Content-Type", ""), CONTENT_LENGTH=str(len(body)))
                if self.headers.get("Content-Encoding"):
                    env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
                out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
                sep = b"\r\n\r\n" if b"\r\n\r\n" in out else b"\n\n"
                head, _, content = out.partition(sep)
                status, headers = 200, []
                for line in head.decode().splitlines():
                    key, _, value = line.partition(":")
                    if key.lower() == "status":
                        status = int(value.split()[0])
                    elif key:
                        headers.append((key, value.strip()))
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if stall_after >= 0 and path.endswith("git-upload-pack") and self.command == "POST":
                    self.wfile.write(content[:stall_after])
                    self.wfile.flush()
                    time.sleep(3600)
                    return
                self.wfile.write(content)

            do_GET = serve
            do_POST = serve

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#
}
