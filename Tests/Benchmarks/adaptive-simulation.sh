#!/usr/bin/env bash
# The adaptive limiter against simulated token buckets (Tests/Benchmarks/adaptive-simulation/main.swift):
# compiles AdaptiveLimit.swift as it is in the tree (or LIMIT=PATH, another version of that file)
# beside the simulation and prints a markdown table: seconds for 2,000 creates against each bucket,
# the share of its bound, and the fraction of requests answered 429; five seeds each. Takes seconds.
#
#   Tests/Benchmarks/adaptive-simulation.sh
#   LIMIT=/tmp/AdaptiveLimit.swift Tests/Benchmarks/adaptive-simulation.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
limit="${LIMIT:-Sources/SpecSyncTargets/Resilience/AdaptiveLimit.swift}"
work="$(mktemp -d -t specsync-adaptive-simulation.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# The simulation stands in for what the file imports from SpecSyncCore.
sed '/^import SpecSyncCore$/d' "$limit" > "$work/AdaptiveLimit.swift"
swiftc -O -module-name AdaptiveSimulation "$work/AdaptiveLimit.swift" Tests/Benchmarks/adaptive-simulation/main.swift -o "$work/simulate"
"$work/simulate"
