#!/usr/bin/env bash
# The quick-start demo: builds specsync, makes a git repository from Config/examples in a temporary
# folder, validates it and shows what a sync would do.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-dependencies.sh
swift build --product specsync
bin="$(swift build --show-bin-path)/specsync"

work="$(mktemp -d -t specsync-demo.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp -R Config/examples "$work/repo"
cd "$work/repo"
git init -q -b main
git -c user.name=demo -c user.email=demo@specsync.invalid add -A
git -c user.name=demo -c user.email=demo@specsync.invalid commit -q -m "example connectors"

echo "== specsync validate (example repository in $work/repo)"
"$bin" validate
echo
echo "== specsync plan --offline"
"$bin" plan --offline || true
echo
echo "The sync against the bundled Flow Service emulator (specsync sync --once) is not built yet;"
echo "this demo stops at the plan."
