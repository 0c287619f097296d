#!/usr/bin/env bash
# Failover times of leader and standby daemons on PostgreSQL (RELIABILITY.md, "High availability"):
# two real `specsync sync` daemons on one throwaway cluster and the emulator on loopback; TRIALS times
# the leader is killed with SIGKILL (and a new standby started), then TRIALS times its database session
# is terminated with pg_terminate_backend. Each time is from the kill to the moment an instance's
# /readyz says it leads. Debian's postgresql must be installed (deploy/install-dependencies.sh).
#
#   Tests/Reliability/failover.sh        TRIALS=N (default 5)   RESULTS=DIR (default Tests/Reliability/results)
set -euo pipefail
cd "$(dirname "$0")/../.."
results="${RESULTS:-$PWD/Tests/Reliability/results}"
mkdir -p "$results"
swift build --build-tests >&2
SPECSYNC_FAILOVER_TRIALS="${TRIALS:-5}" SPECSYNC_FAILOVER_RESULTS="$results" \
  swift test --skip-build --filter 'PostgresHighAvailabilityTests/measureFailover'
cat "$results/failover.json"
