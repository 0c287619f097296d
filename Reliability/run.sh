#!/usr/bin/env bash
# The long reliability runs (RELIABILITY.md, "Crashes" and "Faults"): the real specsync binary, killed
# with SIGKILL 50 times during a 500-bundle sync with 10% injected faults, and a 500-bundle sync through
# a fault storm (20% 5xx, 5% lost answers, 429 bursts, 2 s tokens), each against `specsync emulator`
# running as a separate process on a loopback port. Repositories are made with the git CLI.
#
#   Reliability/run.sh [crashes|faults|all]     (default all)
#
#   CONFIGURATION=release|debug   the specsync binary driven (default release; the harness itself is
#                                 the debug test bundle)
#   SEED=N                        seed of the fault generator and of the kill moments (default 1)
#   RESULTS=DIR                   where the figures go as JSON (default Reliability/results)
#   LIMIT=SECONDS                 the whole run stops after this long (default 3600)
#
# Exits 0 when every scenario converged with no duplicate and no lost record.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
configuration="${CONFIGURATION:-release}"
results="${RESULTS:-$PWD/Reliability/results}"
case "$which" in
  crashes) filter="LongRunTests/crashes" ;;
  faults) filter="LongRunTests/faults" ;;
  all) filter="LongRunTests" ;;
  *) echo "usage: $0 [crashes|faults|all]" >&2; exit 2 ;;
esac

bash deploy/install-dependencies.sh
swift build --build-tests >&2
if [ "$configuration" = release ]; then
  swift build -c release --product specsync >&2
fi
binary="$(swift build -c "$configuration" --show-bin-path)/specsync"
tests="$(swift build --show-bin-path)/specsyncPackageTests.xctest"
mkdir -p "$results"

# The emulators the harness starts are in process groups of their own: if the time limit stops the
# harness, they are stopped here, by the pids it wrote down.
pids="$(mktemp -t specsync-reliability-pids.XXXXXX)"
cleanup() { while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$pids"; rm -f "$pids"; }
trap cleanup EXIT

echo "driving $binary; figures in $results" >&2
SPECSYNC_RELIABILITY_PIDS="$pids" SPECSYNC_RELIABILITY_LONG=1 SPECSYNC_TEST_BINARY="$binary" SPECSYNC_RELIABILITY_SEED="${SEED:-1}" \
  SPECSYNC_RELIABILITY_RESULTS="$results" \
  timeout --signal=TERM --kill-after=30 "${LIMIT:-3600}" \
  "$tests" --testing-library swift-testing --filter "$filter"
