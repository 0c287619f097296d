#!/usr/bin/env python3
"""Generates a benchmark repository with the git CLI (`git fast-import`, which writes the same objects
`git add` + `git commit` would, in seconds rather than minutes for 50,000 bundles).

  make-repository.py DIR --bundles N [--changes K ...] [--flxpoint M]

- tag `base`: N complete connection-spec bundles under Sources/ (spec, label, description, category,
  icon), each spec valid and uniquely named;
- for each K of --changes: a commit on top of `base` whose spec files of the first K bundles differ
  (a new description), tagged `changed-K`; branch `main` points at the last of them, or at `base`;
- with --flxpoint M: M Flxpoint connections under Connections/flxpoint/ in `base` as well.
"""
import argparse
import subprocess
import sys

ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>\n'


def bundle_id(index):
    return f"bench-{index:06d}"


def spec(source, revision):
    return f"""{{
  "name": "{source} source",
  "description": "{source} through generic REST, revision {revision}",
  "type": "generic-rest",
  "providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a",
  "version": "1.0",
  "authSpec": [
    {{"name": "Basic Authentication", "type": "BasicAuthentication",
     "spec": {{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
              "properties": {{"host": {{"type": "string"}}, "username": {{"type": "string"}},
                             "password": {{"type": "string", "format": "password"}}}}}}}}
  ],
  "sourceSpec": {{
    "attributes": {{
      "uiAttributes": {{"isSource": true, "icon": {{"key": "sampleIcon"}}}},
      "urlParams": {{"path": "/3.0/{source}/members", "method": "GET"}},
      "contentPath": {{"path": "$.members", "skipAttributes": ["_links"]}},
      "paginationParams": {{"type": "OFFSET", "limitName": "count", "limitValue": "100", "offSetName": "offset"}},
      "scheduleParams": {{"scheduleStartParamName": "since", "scheduleEndParamName": "before"}}
    }},
    "spec": {{"type": "object", "properties": {{"listId": {{"type": "string"}}}}}}
  }},
  "exploreSpec": {{"name": "Resource", "type": "Resource",
                  "requestSpec": {{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}},
                  "responseSpec": {{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}}}}
}}
"""


def flxpoint_connection(index):
    return f"""{{
  "connectionType": "FtpInventorySource",
  "name": "Benchmark feed {index:03d}",
  "configs": [
    {{ "handle": "host", "value": "ftp{index:03d}.example" }},
    {{ "handle": "port", "value": "21" }},
    {{ "handle": "filePath", "value": "/exports/{index:03d}.csv" }}
  ]
}}
"""


class Stream:
    """Writes a fast-import stream; identical contents share one blob mark."""

    def __init__(self, pipe):
        self.pipe = pipe
        self.marks = {}
        self.next_mark = 1
        self.time = 1_700_000_000

    def _write(self, text):
        self.pipe.write(text.encode())

    def blob(self, content):
        if content in self.marks:
            return self.marks[content]
        mark = self.next_mark
        self.next_mark += 1
        data = content.encode()
        self._write(f"blob\nmark :{mark}\ndata {len(data)}\n")
        self.pipe.write(data)
        self._write("\n")
        self.marks[content] = mark
        return mark

    def commit(self, ref, message, files, parent=None):
        """files: {path: content}; with a parent, only these paths change."""
        modifies = [(path, self.blob(content)) for path, content in files.items()]
        mark = self.next_mark
        self.next_mark += 1
        self.time += 60
        message = message.encode()
        self._write(f"commit {ref}\nmark :{mark}\n")
        self._write(f"author Bench <bench@specsync.invalid> {self.time} +0000\n")
        self._write(f"committer Bench <bench@specsync.invalid> {self.time} +0000\n")
        self._write(f"data {len(message)}\n")
        self.pipe.write(message)
        self._write("\n")
        if parent is not None:
            self._write(f"from :{parent}\n")
        for path, blob in modifies:
            self._write(f"M 100644 :{blob} {path}\n")
        self._write("\n")
        return mark

    def tag(self, name, mark):
        self._write(f"reset refs/tags/{name}\nfrom :{mark}\n\n")


def bundle_files(index, revision):
    source = bundle_id(index)
    folder = f"Sources/{source}/Artifacts/{source}"
    return {
        f"{folder}-connectionSpec.json": spec(source, revision),
        f"{folder}-label.txt": f"{source} label\n",
        f"{folder}-description.txt": f"{source} description\n",
        f"{folder}-category.txt": "marketingAutomation\n",
        f"{folder}-icon.svg": ICON,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--bundles", type=int, required=True)
    parser.add_argument("--changes", type=int, nargs="*", default=[])
    parser.add_argument("--flxpoint", type=int, default=0)
    arguments = parser.parse_args()
    if any(k > arguments.bundles for k in arguments.changes):
        sys.exit("make-repository.py: --changes cannot exceed --bundles")

    git = ["git", "-C", arguments.directory]
    subprocess.run(["git", "init", "-q", "-b", "main", arguments.directory], check=True)
    importer = subprocess.Popen(git + ["fast-import", "--quiet"], stdin=subprocess.PIPE)
    stream = Stream(importer.stdin)
    files = {}
    for index in range(arguments.bundles):
        files.update(bundle_files(index, 1))
    for index in range(arguments.flxpoint):
        files[f"Connections/flxpoint/bench-{index:03d}.json"] = flxpoint_connection(index)
    base = stream.commit("refs/heads/main", f"{arguments.bundles} bundles", files)
    stream.tag("base", base)
    for count in arguments.changes:
        changed = {}
        for index in range(count):
            source = bundle_id(index)
            changed[f"Sources/{source}/Artifacts/{source}-connectionSpec.json"] = spec(source, 2)
        mark = stream.commit("refs/heads/main", f"change {count} bundles", changed, parent=base)
        stream.tag(f"changed-{count}", mark)
    importer.stdin.close()
    if importer.wait() != 0:
        sys.exit("make-repository.py: git fast-import failed")
    # The work tree stays empty: specsync reads commits through libgit2, never the checkout.


if __name__ == "__main__":
    main()
