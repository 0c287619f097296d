#!/usr/bin/env bash
# The long reliability runs (RELIABILITY.md, "Crashes" and "Faults"): the real specsync binary, killed
# with SIGKILL 50 times during a 500-bundle sync with 10% injected faults, and a 500-bundle sync through
# a fault storm (20% 5xx, 5% lost answers, 429 bursts, 2 s tokens), each against `specsync emulator`
# running as a separate process on a loopback port. Repositories are made with the git CLI.
#
# `conformance` checks the emulator against Adobe's published Flow Service OpenAPI with schemathesis
# (installed with pip into a virtual environment under .build/): the connection spec and flow spec
# operations specsync uses, against `specsync emulator --catalogue 300 --page-size 20`.
#
#   Tests/Reliability/run.sh [crashes|crashes-postgres|faults|conformance|all]     (default all)
#
# `crashes-postgres` is `crashes` with `state.backend: postgres` on a throwaway cluster (initdb in a
# temporary folder, a loopback port, stopped at the end): Debian's postgresql must be installed.
# `all` runs it too (about 25 more minutes on a debug build).
#
#   CONFIGURATION=release|debug   the specsync binary driven (default release; the harness itself is
#                                 the debug test bundle)
#   SEED=N                        seed of the fault generator and of the kill moments (default 1)
#   RESULTS=DIR                   where the figures go as JSON (default Tests/Reliability/results)
#   LIMIT=SECONDS                 the whole run stops after this long (default 3600)
#   OPENAPI=FILE                  the Flow Service OpenAPI (default ../shared/reference/flow-service-openapi.yaml)
#   EXAMPLES=N                    schemathesis examples per operation (default 100)
#
# Exits 0 when every scenario converged with no duplicate and no lost record.
set -euo pipefail
cd "$(dirname "$0")/../.."
which="${1:-all}"
configuration="${CONFIGURATION:-release}"
results="${RESULTS:-$PWD/Tests/Reliability/results}"
case "$which" in
  crashes) filter='LongRunTests/crashes\(\)' ;;
  crashes-postgres) filter="LongRunTests/crashesOnPostgres" ;;
  faults) filter="LongRunTests/faults" ;;
  conformance) filter="" ;;
  all) filter="LongRunTests" ;;
  *) echo "usage: $0 [crashes|crashes-postgres|faults|conformance|all]" >&2; exit 2 ;;
esac

# schemathesis (conformance) runs in a Python virtual environment and talks to IMS with curl.
case "$which" in
  conformance|all) bash deploy/install-dependencies.sh python3 python3-venv curl ;;
  *) bash deploy/install-dependencies.sh ;;
esac
swift build --build-tests >&2
if [ "$configuration" = release ]; then
  swift build -c release --product specsync >&2
fi
binary="$(swift build -c "$configuration" --show-bin-path)/specsync"
tests="$(swift build --show-bin-path)/specsyncPackageTests.xctest"
mkdir -p "$results"

# schemathesis against the emulator: the operations on /connectionSpecs and /flowSpecs that the
# emulator serves, every documented check, the figures in $results/conformance.txt and JUnit XML.
conformance() {
  local openapi="${OPENAPI:-../shared/reference/flow-service-openapi.yaml}" venv="$PWD/.build/schemathesis-venv"
  [ -f "$openapi" ] || { echo "no OpenAPI file at $openapi (set OPENAPI)" >&2; return 2; }
  [ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q "schemathesis==4.32.5"; } >&2
  local work; work="$(mktemp -d -t specsync-conformance.XXXXXX)"
  "$binary" emulator --port 0 --catalogue 300 --page-size 20 > "$work/emulator.log" 2>&1 &
  local emulator=$!
  local url=""
  for _ in $(seq 1 100); do url="$(sed -n 's/^listening on //p' "$work/emulator.log" | head -1)"; [ -n "$url" ] && break; sleep 0.1; done
  [ -n "$url" ] || { cat "$work/emulator.log" >&2; kill "$emulator"; return 1; }
  local token
  token="$(curl -fsS "$url/ims/token/v3" -d client_id=specsync-emulator -d client_secret=emulator-secret \
    -d grant_type=client_credentials -d scope=openid | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')"
  # The emulator has no POST /flowSpecs (specsync never creates flow specs) and none of the
  # /explore, /configs or /search sub-resources.
  local run=("$venv/bin/schemathesis" run "$openapi" --url "$url/data/foundation/flowservice"
    --include-path-regex '^/(connectionSpecs|flowSpecs)(/[{][A-Z_]+[}])?$' --exclude-name 'POST /flowSpecs'
    -H "Authorization: Bearer $token" -H "x-api-key: specsync-emulator"
    -H "x-gw-ims-org-id: EMULATOR0000000000000000@AdobeOrg" -H "x-sandbox-name: prod"
    --max-examples "${EXAMPLES:-100}" --seed "${SEED:-1}" --no-color)
  local status=0
  # The gate: no 5xx, declared content types and headers, missing required headers refused,
  # undeclared methods answered 405 with Allow.
  timeout --signal=TERM --kill-after=30 "${LIMIT:-3600}" "${run[@]}" \
    --checks not_a_server_error,content_type_conformance,response_headers_conformance,missing_required_header,unsupported_method \
    --report junit --report-dir "$results/schemathesis-gate" 2>&1 | tee "$results/conformance-gate.txt" || status=$?
  # Every check, for the figures: where Adobe's OpenAPI and its documented behaviour disagree
  # (RELIABILITY.md, "Conformance") the emulator follows the documentation, so this run reports
  # failures by design and does not decide the exit status.
  timeout --signal=TERM --kill-after=30 "${LIMIT:-3600}" "${run[@]}" --checks all \
    --report junit --report-dir "$results/schemathesis-all" > "$results/conformance-all.txt" 2>&1 || true
  sed -n '/SUMMARY/,$p' "$results/conformance-all.txt" >&2
  kill "$emulator" 2>/dev/null || true
  rm -rf "$work"
  return "$status"
}

if [ "$which" = conformance ]; then
  conformance
  exit $?
fi

# The emulators the harness starts are in process groups of their own: if the time limit stops the
# harness, they are stopped here, by the pids it wrote down.
pids="$(mktemp -t specsync-reliability-pids.XXXXXX)"
cleanup() { while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$pids"; rm -f "$pids"; }
trap cleanup EXIT

echo "driving $binary; figures in $results" >&2
status=0
SPECSYNC_RELIABILITY_PIDS="$pids" SPECSYNC_RELIABILITY_LONG=1 SPECSYNC_TEST_BINARY="$binary" SPECSYNC_RELIABILITY_SEED="${SEED:-1}" \
  SPECSYNC_RELIABILITY_RESULTS="$results" \
  timeout --signal=TERM --kill-after=30 "${LIMIT:-3600}" \
  "$tests" --testing-library swift-testing --filter "$filter" || status=$?
if [ "$which" = all ]; then conformance || status=1; fi
exit $status
