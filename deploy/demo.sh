#!/usr/bin/env bash
# The quick-start demo, no Adobe credentials needed: builds specsync, starts the bundled Flow Service
# emulator on a loopback port, makes a git repository from Config/examples, syncs it, shows the ids
# recorded, changes one file and shows the second pass updating just that bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-dependencies.sh
swift build --product specsync
bin="$(swift build --show-bin-path)/specsync"

work="$(mktemp -d -t specsync-demo.XXXXXX)"
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting the Flow Service + IMS emulator"
"$bin" emulator --port 0 > "$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/emulator.log" && break; sleep 0.1; done
url="$(sed -n 's/^listening on //p' "$work/emulator.log" | head -1)"
[ -n "$url" ] || { echo "the emulator did not start:" >&2; cat "$work/emulator.log" >&2; exit 1; }
echo "emulator at $url"

step "Making a git repository from Config/examples"
cp -R Config/examples "$work/repo"
cd "$work/repo"
cat > specsync.yaml <<YAML
# The emulator's built-in demo identity; a real target names its own (see Config/specsync.yaml).
targets:
  demo:
    flowService:
      baseURL: $url/data/foundation/flowservice
      imsURL: $url
      orgId: EMULATOR0000000000000000@AdobeOrg
      sandbox: prod
      clientId: specsync-emulator
      clientSecret: {env: DEMO_CLIENT_SECRET}
YAML
printf 'specsync.yaml\n.specsync/\n' > .gitignore
export DEMO_CLIENT_SECRET=emulator-secret
git init -q -b main
git -c user.name=demo -c user.email=demo@specsync.invalid add -A
git -c user.name=demo -c user.email=demo@specsync.invalid commit -q -m "example connectors"
"$bin" validate

step "specsync plan (read-only)"
"$bin" plan || true

step "specsync sync --once (first pass: creates every spec)"
"$bin" sync --once

step "specsync status (the ids and updatedAt recorded)"
"$bin" status

step "Changing one file: the description of mailchimp-members"
sed -i 's/"description": "MailChimp Members source using generic-rest and SDK"/"description": "MailChimp audience members, synced by specsync"/' \
  Sources/mailchimp-members/Artifacts/mailchimp-members-connectionSpec.json
git -c user.name=demo -c user.email=demo@specsync.invalid commit -q -am "Describe the members source better"
"$bin" plan --offline

step "specsync sync --once (second pass: updates just that bundle)"
"$bin" sync --once

step "specsync sync --once (third pass: nothing to do)"
"$bin" sync --once
