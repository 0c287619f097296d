#!/usr/bin/env python3
"""The program a user would write instead of specsync: the benchmarks' reference for throughput.

  peer.py REPOSITORY --rev REV --state FILE --base-url URL --ims-url URL --client-id ID
          --client-secret-env VARIABLE --org ORG [--sandbox NAME] [--concurrency N]

pygit2 diffs the last synced commit (from the JSON state file) against REV, or takes every file when
there is none; each changed `Sources/<source>/Artifacts/<source>-connectionSpec.json` is sent as it is
with `requests` — POST when the state has no id for it, PUT when it has — from a pool of N threads.
No validation, no lookup by name, no journal: the ids and the commit are written to the state file
once, at the end. Fails (exit 1) if any request failed.
"""
import argparse
import concurrent.futures
import json
import os
import re
import sys
import threading

import pygit2
import requests

SPEC = re.compile(r"^Sources/([^/]+)/Artifacts/\1-connectionSpec\.json$")


def changed_specs(repository, commit, last):
    """Paths of the connectionSpec files that differ between `last` (a hex id or None) and `commit`."""
    if last is None:
        paths = []
        stack = [("", commit.tree)]
        while stack:
            prefix, tree = stack.pop()
            for entry in tree:
                path = prefix + entry.name
                if entry.type_str == "tree":
                    stack.append((path + "/", repository[entry.id]))
                elif SPEC.match(path):
                    paths.append(path)
        return sorted(paths)
    diff = repository.diff(repository[last].tree, commit.tree)
    return sorted({delta.new_file.path for delta in diff.deltas if delta.status_char() != "D" and SPEC.match(delta.new_file.path)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("repository")
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--state", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--ims-url", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret-env", required=True)
    parser.add_argument("--org", required=True)
    parser.add_argument("--sandbox", default="prod")
    parser.add_argument("--concurrency", type=int, default=8)
    arguments = parser.parse_args()

    state = {"commit": None, "ids": {}}
    if os.path.exists(arguments.state):
        with open(arguments.state) as file:
            state = json.load(file)
    repository = pygit2.Repository(arguments.repository)
    commit = repository.revparse_single(arguments.rev).peel(pygit2.Commit)
    paths = changed_specs(repository, commit, state["commit"])

    token = requests.post(arguments.ims_url.rstrip("/") + "/ims/token/v3", data={
        "client_id": arguments.client_id, "client_secret": os.environ[arguments.client_secret_env],
        "grant_type": "client_credentials", "scope": "openid,AdobeID,read_organizations",
    }, timeout=30)
    token.raise_for_status()
    headers = {
        "Authorization": "Bearer " + token.json()["access_token"], "x-api-key": arguments.client_id,
        "x-gw-ims-org-id": arguments.org, "x-sandbox-name": arguments.sandbox, "Content-Type": "application/json",
    }
    local = threading.local()
    base = arguments.base_url.rstrip("/")

    def send(path):
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            session.headers.update(headers)
        body = repository[commit.tree[path].id].data
        known = state["ids"].get(path)
        if known:
            response = session.put(f"{base}/connectionSpecs/{known}", data=body, timeout=60)
        else:
            response = session.post(f"{base}/connectionSpecs", data=body, timeout=60)
        response.raise_for_status()
        answer = response.json()
        if "items" in answer:
            answer = answer["items"][0]
        return path, answer["id"]

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=arguments.concurrency) as pool:
        for future in concurrent.futures.as_completed([pool.submit(send, path) for path in paths]):
            try:
                path, identifier = future.result()
                state["ids"][path] = identifier
            except Exception as error:  # a benchmark reference: count and report, go on
                failed += 1
                print(f"peer: {error}", file=sys.stderr)
    if failed == 0:
        state["commit"] = str(commit.id)
    with open(arguments.state, "w") as file:
        json.dump(state, file)
    print(json.dumps({"sent": len(paths) - failed, "failed": failed}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
