#!/usr/bin/env python3
"""Generates a benchmark repository with the git CLI (`git fast-import` for the blobs, `git mktree` and
`git commit-tree` for the rest: the same objects `git add` + `git commit` would write, in seconds
rather than minutes for 100,000 bundles).

  make-repository.py DIR --bundles N [--changes K ...] [--flxpoint M]

- tag `base`: N complete connection-spec bundles under Sources/ (spec, label, description, category,
  icon), each spec valid and uniquely named;
- for each K of --changes: a commit on top of `base` whose spec files of the first K bundles differ
  (a new description), tagged `changed-K`; branch `main` points at the last of them, or at `base`;
- with --flxpoint M: M Flxpoint connections under Connections/flxpoint/ in `base` as well.
"""
import argparse
import os
import subprocess
import sys
import tempfile

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


class ObjectWriter:
    """Writes blobs with `git fast-import` and trees with `git mktree --batch`, then commits with
    `git commit-tree`. Not fast-import's own trees: it finds a path's entry by a linear search of its
    directory, so a commit with N folders under Sources costs N² (30,000 bundles: 22 s of CPU,
    100,000 did not finish in 55 minutes); mktree sorts each tree once."""

    def __init__(self, directory):
        self.git = ["git", "-C", directory]
        self.blobs = {}  # content -> sha
        self.time = 1_700_000_000

    def _run(self, arguments, data, env=None):
        result = subprocess.run(self.git + arguments, input=data, stdout=subprocess.PIPE, check=True, env=env)
        return result.stdout.decode()

    def write_blobs(self, contents):
        """Writes every content not yet written; identical contents share one blob."""
        new = [content for content in dict.fromkeys(contents) if content not in self.blobs]
        if not new:
            return
        stream = bytearray()
        for mark, content in enumerate(new, start=1):
            data = content.encode()
            stream += f"blob\nmark :{mark}\ndata {len(data)}\n".encode() + data + b"\n"
        with tempfile.NamedTemporaryFile() as marks:
            self._run(["fast-import", "--quiet", f"--export-marks={marks.name}"], bytes(stream))
            shas = dict(line.decode().split() for line in open(marks.name, "rb"))
        for mark, content in enumerate(new, start=1):
            self.blobs[content] = shas[f":{mark}"]

    def trees(self, listings):
        """listings: a list of trees, each a list of (mode, type, sha, name); returns their ids."""
        text = "\n".join("".join(f"{mode} {kind} {sha}\t{name}\n" for mode, kind, sha, name in entries)
                         for entries in listings)
        ids = self._run(["mktree", "--batch"], (text + "\n").encode()).split()
        if len(ids) != len(listings):
            sys.exit("make-repository.py: git mktree wrote %d trees for %d" % (len(ids), len(listings)))
        return ids

    def commit(self, tree, message, parent=None):
        self.time += 60
        stamp = f"{self.time} +0000"
        env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@specsync.invalid",
                   GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@specsync.invalid",
                   GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        return self._run(["commit-tree", tree, "-m", message] + (["-p", parent] if parent else []), None, env).strip()

    def reference(self, name, commit):
        self._run(["update-ref", name, commit], None)


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


def bundle_trees(writer, indices, revision):
    """Each bundle's folder tree (Sources/<source>), for these bundles at this revision."""
    files = {index: bundle_files(index, revision) for index in indices}
    writer.write_blobs(content for contents in files.values() for content in contents.values())
    artifacts = writer.trees([
        [("100644", "blob", writer.blobs[content], path.rsplit("/", 1)[1]) for path, content in contents.items()]
        for contents in files.values()])
    folders = writer.trees([[("040000", "tree", tree, "Artifacts")] for tree in artifacts])
    return {bundle_id(index): folder for index, folder in zip(files, folders)}


def root_tree(writer, folders, connections):
    sources = writer.trees([[("040000", "tree", tree, name) for name, tree in folders.items()]])[0]
    entries = [("040000", "tree", sources, "Sources")]
    if connections:
        entries.append(("040000", "tree", connections, "Connections"))
    return writer.trees([entries])[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directory")
    parser.add_argument("--bundles", type=int, required=True)
    parser.add_argument("--changes", type=int, nargs="*", default=[])
    parser.add_argument("--flxpoint", type=int, default=0)
    arguments = parser.parse_args()
    if any(k > arguments.bundles for k in arguments.changes):
        sys.exit("make-repository.py: --changes cannot exceed --bundles")

    subprocess.run(["git", "init", "-q", "-b", "main", arguments.directory], check=True)
    writer = ObjectWriter(arguments.directory)
    folders = bundle_trees(writer, range(arguments.bundles), 1)
    connections = None
    if arguments.flxpoint:
        contents = [flxpoint_connection(index) for index in range(arguments.flxpoint)]
        writer.write_blobs(contents)
        flxpoint = writer.trees([[("100644", "blob", writer.blobs[content], f"bench-{index:03d}.json")
                                  for index, content in enumerate(contents)]])[0]
        connections = writer.trees([[("040000", "tree", flxpoint, "flxpoint")]])[0]
    base = writer.commit(root_tree(writer, folders, connections), f"{arguments.bundles} bundles")
    writer.reference("refs/tags/base", base)
    head = base
    for count in arguments.changes:
        # The first K bundles' spec files differ (revision 2); their other files stay the same.
        changed = dict(folders)
        changed.update(bundle_trees(writer, range(count), 2))
        head = writer.commit(root_tree(writer, changed, connections), f"change {count} bundles", parent=base)
        writer.reference(f"refs/tags/changed-{count}", head)
    writer.reference("refs/heads/main", head)
    # The work tree stays empty: specsync reads commits through libgit2, never the checkout.


if __name__ == "__main__":
    main()
