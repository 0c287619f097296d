#!/usr/bin/env bash
# The quick-start demo, no credentials needed: builds specsync, starts the bundled emulator (Flow
# Service + IMS, Flxpoint, Versori) on a loopback port, makes a git repository from Config/examples,
# syncs its connection specs, shows the ids recorded, verifies two of them through Flow Service
# (specsync verify: the emulator runs them against its sample third-party API), changes one file and shows the second pass
# updating just that bundle; previews a source's records against the emulator's sample third-party
# API; then syncs its Flxpoint and Versori connections with the example configurations
# flxpoint.yaml and versori.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/emulator-env.sh
bash deploy/install-dependencies.sh
swift build --product specsync
bin="$(swift build --show-bin-path)/specsync"

work="$(mktemp -d -t specsync-demo.XXXXXX)"
EMULATOR_PID=""
cleanup() {
  [ -n "$EMULATOR_PID" ] && kill "$EMULATOR_PID" 2>/dev/null && wait "$EMULATOR_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting the Flow Service + IMS emulator and its sample third-party API"
# Adobe's catalogue too, as a real org lists it: specsync must leave those specs alone. The sample
# API (acme orders, mailchimp members, ...) is what preview and the emulator's verification run specs against.
start_emulator "$bin" "$work" --catalogue 300 --sample-api-port 0
sample_api_url "$work"
echo "emulator at $EMULATOR_URL, sample third-party API at $SAMPLE_API_URL"

step "Making a git repository from Config/examples"
cp -R Config/examples "$work/repo"
cd "$work/repo"
# The emulator's built-in demo identity; a real target names its own (see Config/specsync.yaml).
emulator_target demo DEMO_CLIENT_SECRET > specsync.yaml
printf 'specsync.yaml\n.specsync/\n.credentials/\n' > .gitignore
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

step "specsync verify (connection, test, explore and a one-off dataflow per bundle, then all deleted)"
# The emulator runs each spec (pagination, contentPath) against the sample API; its test credentials
# are references, masked in every line printed.
cat >> specsync.yaml <<'YAML'
    verify:
      dataflow: true
      bundles:
        acme-orders:
          auth: {domain: acme, username: acme-demo, password: "$(env:ACME_PASSWORD)"}
        mailchimp-members:
          authSpec: Basic Authentication
          auth: {domain: us21, username: demo, password: "$(env:SAMPLE_MAILCHIMP_KEY)"}
          params: {listId: demo-list}
YAML
export ACME_PASSWORD=acme-demo-password SAMPLE_MAILCHIMP_KEY=mailchimp-demo-key-us21
"$bin" verify

step "Changing one file: the description of mailchimp-members"
sed -i 's/"description": "MailChimp Members source using generic-rest and SDK"/"description": "MailChimp audience members, synced by specsync"/' \
  Sources/mailchimp-members/Artifacts/mailchimp-members-connectionSpec.json
git -c user.name=demo -c user.email=demo@specsync.invalid commit -q -am "Describe the members source better"
"$bin" plan --offline

step "specsync sync --once (second pass: updates just that bundle)"
"$bin" sync --once

step "specsync sync --once (third pass: nothing to do)"
"$bin" sync --once

step "specsync preview: mailchimp-members' sourceSpec against the sample API (OFFSET pagination)"
# The key is a reference, resolved from the environment and masked in every line printed.
cat > "$work/members-input.json" <<'JSON'
{"auth": {"type": "BasicAuthentication", "domain": "us21", "username": "demo", "password": "$(env:SAMPLE_MAILCHIMP_KEY)"},
 "params": {"listId": "demo-list"}}
JSON
"$bin" preview Sources/mailchimp-members --input "$work/members-input.json" --origin "$SAMPLE_API_URL" --max-pages 5

step "specsync preview of a list whose answer has no members array (a trap: exit 1, and where)"
sed 's/demo-list/renamed-list/' "$work/members-input.json" > "$work/renamed-input.json"
"$bin" preview Sources/mailchimp-members --input "$work/renamed-input.json" --origin "$SAMPLE_API_URL" || true

step "Flxpoint and Versori connections, with Config/examples/flxpoint.yaml and versori.yaml"
# The example configurations name real APIs; point them at the emulator, and give specsync the
# secrets the connections reference as systemd would, through $CREDENTIALS_DIRECTORY.
export CREDENTIALS_DIRECTORY="$PWD/.credentials"
mkdir -p "$CREDENTIALS_DIRECTORY"
printf flxpoint-emulator-token > "$CREDENTIALS_DIRECTORY/flxpoint-token"
printf versori-emulator-key > "$CREDENTIALS_DIRECTORY/versori-api-key"
for name in flxpoint-acme-ftp-password flxpoint-shopify-eu-token versori-netsuite-webhook-secret; do
  head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$CREDENTIALS_DIRECTORY/$name"
done
# (A SPECSYNC_ variable naming a target the configuration lacks is an error, so each run gets its own.)
flxpoint() { SPECSYNC_TARGETS_FLXPOINT_FLXPOINT_BASE_URL="$EMULATOR_URL/flxpoint" "$bin" "$@" --config flxpoint.yaml; }
versori() {
  SPECSYNC_TARGETS_VERSORI_VERSORI_BASE_URL="$EMULATOR_URL/versori/api/connect/v1" \
    SPECSYNC_TARGETS_VERSORI_VERSORI_ORGANISATION=emulator-org "$bin" "$@" --config versori.yaml
}
flxpoint validate
flxpoint sync --once
versori validate
versori sync --once
versori status
