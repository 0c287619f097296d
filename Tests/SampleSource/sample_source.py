#!/usr/bin/env python3
"""A stand-in of the third-party APIs the example bundles describe, on 127.0.0.1, for the tests of
`specsync verify`: the emulator's source probe is pointed at it (its --origin). Prints its port on
the first line of standard output, then serves until killed. Python's standard library only.

  GET /v2/orders                      acme-orders:   {"orders": [3 orders], "next": null}
  GET /3.0/lists/{listId}/members     mailchimp:     {"members": [2 members], "hasMore": false}
  GET /3.0/campaigns                  mailchimp:     {"campaigns": [1 campaign]}

Every route needs Basic auth with --username/--password, or a bearer --token; anything else is 401.
Other paths are 404.
"""
import argparse
import base64
import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUTES = [
    (re.compile(r"^/v2/orders$"), lambda m: {"orders": [{"id": f"o{i}", "total": i * 10} for i in (1, 2, 3)], "next": None}),
    (re.compile(r"^/3\.0/lists/([^/]+)/members$"),
     lambda m: {"members": [{"id": f"m{i}", "list_id": m.group(1), "email": f"m{i}@example.com"} for i in (1, 2)], "hasMore": False}),
    (re.compile(r"^/3\.0/campaigns$"), lambda m: {"campaigns": [{"id": "c1", "title": "Spring"}]}),
]


def make_handler(args):
    basic = "Basic " + base64.b64encode(f"{args.username}:{args.password}".encode()).decode()
    bearer = f"Bearer {args.token}"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def answer(self, status, document):
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.headers.get("Authorization") not in (basic, bearer):
                return self.answer(401, {"error": "unauthorized"})
            path = self.path.split("?", 1)[0]
            for pattern, document in ROUTES:
                match = pattern.match(path)
                if match:
                    return self.answer(200, document(match))
            self.answer(404, {"error": f"no resource at {path}"})

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--username", default="verify")
    parser.add_argument("--password", required=True)
    parser.add_argument("--token", default="sample-token")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
