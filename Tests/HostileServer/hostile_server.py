#!/usr/bin/env python3
"""A misbehaving IMS + API server on 127.0.0.1 for specsync's hostile-network tests.

Started by the tests (Tests/SpecSyncTestSupport/HostileServer.swift); prints its port on the first
line of standard output, then serves until killed. `POST /ims/token/v3` follows --ims, every other
request --api. Tokens it issues and requests it receives are appended to --log as JSON lines, so a
test can check that none of them leaked. Python's standard library only: every attack here (a
stalled socket, a dripped body, 65 MiB of zeros, a CR/LF token) is a few lines, and nothing is
compiled on a machine the suite already keeps busy.

IMS modes:
  ok                 a token good for a day
  echo-form          401 whose error_description repeats the form (client_secret included)
  crlf               a token holding CR/LF and a second header
  huge-expiry        a token with expires_in 1e308
  500                always 500
  429-long           429 with Retry-After: 86400
  stall              accept, read, never answer
  proxy              forward to --upstream
  proxy-then-500     forward the first request to --upstream, 500 to every later one
API modes:
  echo-authorization 403 (gateway shape) whose message repeats the Authorization header
  stall              accept, read, never answer
  slow               200 head at once, then one body byte a second
  huge               200 with a body of 65 MiB + 1 byte
  not-json           200 with an HTML body
  500                always 500
  429-long           429 with Retry-After: 86400
  503-long           503 with Retry-After: 86400
  proxy              forward to --upstream
  proxy-401-once     forward to --upstream, but answer the third request with a gateway 401
  proxy-flowspec-500-once
                     forward to --upstream, but answer the first GET of a flow spec with 500
"""
import argparse
import http.client
import json
import secrets
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
COUNTS = {"ims": 0, "api": 0, "flowspec-get": 0}


def log(args, **entry):
    if not args.log:
        return
    with LOCK, open(args.log, "a") as handle:
        handle.write(json.dumps(entry) + "\n")


def make_handler(args):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def send(self, status, payload, content_type="application/json", headers=()):
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def token(self, value=None, expires_in=86400):
            value = value or "hostile-token-" + secrets.token_hex(24)
            log(args, token=value)
            body = '{"access_token": %s, "token_type": "bearer", "expires_in": %s}' % (json.dumps(value), expires_in)
            self.send(200, body.encode())

        def stall(self):
            log(args, stalled=self.path)
            while True:
                time.sleep(3600)

        def proxy(self, body):
            connection = http.client.HTTPConnection(args.upstream_host, args.upstream_port, timeout=30)
            headers = {name: value for name, value in self.headers.items() if name.lower() not in ("host", "connection")}
            connection.request(self.command, self.path, body=body or None, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            connection.close()

        def handle_any(self):
            body = self.body()
            is_ims = self.path.startswith("/ims/token")
            kind = "ims" if is_ims else "api"
            with LOCK:
                COUNTS[kind] += 1
                count = COUNTS[kind]
            log(args, kind=kind, method=self.command, path=self.path, count=count)
            mode = args.ims if is_ims else args.api
            if mode == "ok":
                return self.token()
            if mode == "echo-form":
                return self.send(401, {"error": "invalid_client", "error_description": "rejected: " + body.decode()})
            if mode == "crlf":
                value = "eyJhbGciOiJSUzI1NiJ9." + secrets.token_hex(16) + "\r\nX-Evil: 1"
                return self.token(value)
            if mode == "huge-expiry":
                return self.token(expires_in="1e308")
            if mode == "echo-authorization":
                message = "Forbidden: the request with Authorization: %s is not allowed" % self.headers.get("Authorization")
                return self.send(403, {"error_code": "403003", "message": message})
            if mode == "stall":
                return self.stall()
            if mode == "slow":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(1000):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1)
                return
            if mode == "huge":
                size = (64 << 20) + 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(size))
                self.end_headers()
                chunk = b"0" * (1 << 20)
                sent = 0
                try:
                    while sent < size:
                        part = chunk[: min(len(chunk), size - sent)]
                        self.wfile.write(part)
                        sent += len(part)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            if mode == "not-json":
                return self.send(200, b"<html><body>Service temporarily replaced by a captive portal</body></html>", "text/html")
            if mode == "500":
                return self.send(500, {"error_code": "500000", "message": "internal server error"})
            if mode == "429-long":
                return self.send(429, {"error_code": "429050", "message": "slow down"}, headers=[("Retry-After", "86400")])
            if mode == "503-long":
                return self.send(503, {"error_code": "503000", "message": "down for maintenance"}, headers=[("Retry-After", "86400")])
            if mode == "proxy":
                return self.proxy(body)
            if mode == "proxy-then-500":
                if count == 1:
                    return self.proxy(body)
                return self.send(500, {"error": "server_error", "error_description": "IMS is having a bad day"})
            if mode == "proxy-401-once":
                if count == 3:
                    return self.send(401, {"error_code": "401013", "message": "Oauth token is not valid"})
                return self.proxy(body)
            if mode == "proxy-flowspec-500-once":
                if self.command == "GET" and "/flowSpecs/" in self.path:
                    with LOCK:
                        COUNTS["flowspec-get"] += 1
                        first = COUNTS["flowspec-get"] == 1
                    if first:
                        return self.send(500, {"error_code": "500000", "message": "internal server error"})
                return self.proxy(body)
            return self.send(500, {"message": "unknown mode " + mode})

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ims", default="ok")
    parser.add_argument("--api", default="500")
    parser.add_argument("--upstream", default="")
    parser.add_argument("--log", default="")
    parser.add_argument("--free-port", action="store_true", help="print a port nothing listens on, and exit")
    args = parser.parse_args()
    if args.free_port:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        print(probe.getsockname()[1], flush=True)
        probe.close()
        return
    if args.upstream:
        hostport = args.upstream.split("//", 1)[-1].split("/", 1)[0]
        args.upstream_host, port = hostport.rsplit(":", 1)
        args.upstream_port = int(port)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
