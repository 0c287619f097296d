#!/usr/bin/env bash
# The benchmark suite: generates its own repositories with the git CLI, drives the release-built
# `specsync` binary and its emulator on loopback, and writes the results into BENCHMARKS.md with
# the machine, the commands, the medians and the reference measured beside each figure.
#
#   Tests/Benchmarks/run.sh                  every row, sizes 1,000, 10,000 and 50,000 bundles (~15 min)
#   SIZES="1000 10000" Tests/Benchmarks/run.sh   fewer sizes (the 10,000 rows are the goals)
#   OUTPUT=- Tests/Benchmarks/run.sh         print the section instead of updating BENCHMARKS.md
#
# Never part of the tests. The idle-daemon figures come from Tests/Benchmarks/idle-daemon.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
source deploy/emulator-env.sh
sizes=(${SIZES:-1000 10000 50000})
output="${OUTPUT:-BENCHMARKS.md}"
scratch=(${SCRATCH:+--scratch-path "$SCRATCH"})

bash deploy/install-dependencies.sh hyperfine time python3
echo "building release binaries ..." >&2
swift build -c release "${scratch[@]}" --product specsync >&2
swift build -c release "${scratch[@]}" --product specsync-benchmark >&2
bin_dir="$(swift build -c release "${scratch[@]}" --show-bin-path)"
specsync="$bin_dir/specsync"
harness="$bin_dir/specsync-benchmark"

work="$(mktemp -d -t specsync-bench.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
results="$work/results.jsonl"
: > "$results"
export BENCH_SECRET=emulator-secret BENCH_FLXPOINT_TOKEN=flxpoint-emulator-token

# record KEY JSON: one result line.
record() { printf '{"key": "%s", "value": %s}\n' "$1" "$2" >> "$results"; }

# median_of KEY HYPERFINE_ARGS…: runs hyperfine and records the median in milliseconds.
median_of() {
  local key="$1"; shift
  local export="$work/hyperfine-${key//\//-}.json"
  hyperfine --shell=none --style none --export-json "$export" "$@" > /dev/null
  record "$key" "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(json.dumps({"median_ms": r["median"]*1000, "runs": len(r["times"])}))' "$export")"
}

# emulator_statistics: the running emulator's counters as JSON.
emulator_statistics() { python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1] + "/__emulator/statistics").read().decode())' "$EMULATOR_URL"; }

# request_total STATISTICS_JSON [METHOD [KIND]]: requests counted by the emulator.
request_total() {
  python3 - "$@" <<'PY'
import json, sys
stats = json.loads(sys.argv[1])
method = sys.argv[2] if len(sys.argv) > 2 else None
kind = sys.argv[3] if len(sys.argv) > 3 else None
total = 0
for key, count in stats["requests"].items():
    m, k, _ = key.split(" ")
    if (method is None or m == method) and (kind is None or k == kind):
        total += count
print(total)
PY
}

# flow_config DIR REPOSITORY CONCURRENCY: a configuration for a Flow Service target on the emulator.
flow_config() {
  {
    printf 'repository: {path: %s, ref: base}\nstate: {directory: %s/state}\n' "$2" "$1"
    emulator_target bench BENCH_SECRET
    printf '      concurrency: %s\n' "$3"
  } > "$1/specsync.yaml"
}

now_ms() { date +%s%3N; }

for size in "${sizes[@]}"; do
  echo "== $size bundles" >&2
  repository="$work/repo-$size"
  changes=(1 100)
  [ "$size" -ge 1000 ] && changes+=(1000)
  python3 Tests/Benchmarks/make-repository.py "$repository" --bundles "$size" --changes "${changes[@]}" --flxpoint 20
  git -C "$repository" gc -q

  # Change detection: in process, against git's own diff-tree as a whole process.
  record "detect/$size" "$("$harness" detect "$repository" base changed-1 100)"
  median_of "diff-tree/$size" --warmup 3 --runs 30 "git -C $repository diff-tree -r --name-only base changed-1"

  # First plan: no state, every bundle parsed, canonicalised and hashed.
  run="$work/run-$size"
  mkdir -p "$run"
  start_emulator "$specsync" "$run"
  pids+=("$EMULATOR_PID")
  flow_config "$run" "$repository" 8
  median_of "first-plan/$size" --runs 3 "$specsync plan --offline --config $run/specsync.yaml --rev base"
  /usr/bin/time -f '%M' -o "$work/rss" "$specsync" plan --offline --config "$run/specsync.yaml" --rev base > /dev/null
  record "first-plan-rss/$size" "{\"max_rss_kb\": $(tail -1 "$work/rss")}"

  # The first sync creates everything (recorded for context), then nothing is left to do.
  started=$(now_ms)
  "$specsync" sync --once --config "$run/specsync.yaml" --rev base > /dev/null
  record "first-sync/$size" "{\"ms\": $(( $(now_ms) - started )), \"bundles\": $size}"
  before="$(emulator_statistics)"
  median_of "no-op/$size" --warmup 2 --runs 15 "$specsync sync --once --config $run/specsync.yaml --rev base"
  median_of "full-scan/$size" --warmup 1 --runs 5 "$specsync sync --once --full-scan --config $run/specsync.yaml --rev base"
  after="$(emulator_statistics)"
  record "no-op-requests/$size" "{\"requests\": $(( $(request_total "$after") - $(request_total "$before") ))}"

  # Plan cost against the number of changed bundles, from a state synced at base.
  for count in "${changes[@]}"; do
    median_of "plan-changed/$size/$count" --warmup 1 --runs 5 "$specsync plan --offline --config $run/specsync.yaml --rev changed-$count"
  done
  kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null || true
done

# Throughput: 1,000 changed bundles at 20 ms per request, 8 in flight; the bound is 8 / 20 ms = 400/s.
echo "== throughput" >&2
repository="$work/repo-throughput"
python3 Tests/Benchmarks/make-repository.py "$repository" --bundles 1000 --changes 1000
run="$work/run-throughput"
mkdir -p "$run"
"$specsync" emulator --port 0 --latency 20 > "$run/emulator.log" 2>&1 &
EMULATOR_PID=$!
pids+=("$EMULATOR_PID")
for _ in $(seq 1 100); do grep -q "listening on" "$run/emulator.log" && break; sleep 0.1; done
EMULATOR_URL="$(sed -n 's/^listening on //p' "$run/emulator.log" | head -1)"
flow_config "$run" "$repository" 8
"$specsync" sync --once --config "$run/specsync.yaml" --rev base > /dev/null
for round in 1 2 3; do
  # Alternate between the two commits: each pass replaces all 1,000 specs.
  revision=changed-1000; [ $((round % 2)) -eq 0 ] && revision=base
  before="$(emulator_statistics)"
  started=$(now_ms)
  "$specsync" sync --once --config "$run/specsync.yaml" --rev "$revision" > /dev/null
  elapsed=$(( $(now_ms) - started ))
  after="$(emulator_statistics)"
  puts=$(( $(request_total "$after" PUT connectionSpec) - $(request_total "$before" PUT connectionSpec) ))
  requests=$(( $(request_total "$after") - $(request_total "$before") ))
  record "throughput/$round" "{\"ms\": $elapsed, \"puts\": $puts, \"requests\": $requests}"
done
kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null || true

# Flxpoint: 20 connections at its documented 2 requests per second and token.
echo "== flxpoint" >&2
repository="$work/repo-1000"
[ -d "$repository" ] || python3 Tests/Benchmarks/make-repository.py "$repository" --bundles 1000 --flxpoint 20
run="$work/run-flxpoint"
mkdir -p "$run"
start_emulator "$specsync" "$run"
pids+=("$EMULATOR_PID")
{
  printf 'repository: {path: %s, ref: base}\nstate: {directory: %s/state}\n' "$repository" "$run"
  emulator_flxpoint_target flxpoint BENCH_FLXPOINT_TOKEN
} > "$run/specsync.yaml"
started=$(now_ms)
"$specsync" sync --once --config "$run/specsync.yaml" > /dev/null
elapsed=$(( $(now_ms) - started ))
record "flxpoint" "$(emulator_statistics | python3 -c 'import json,sys; s=json.load(sys.stdin); print(json.dumps({"ms": int(sys.argv[1]), "requests": s["flxpointRequests"], "throttled": s["flxpointThrottled"], "max_in_any_second": s["flxpointMaxRequestsInAnySecond"], "span_seconds": s["flxpointRequestSpanSeconds"]}))' "$elapsed")"
kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null || true

python3 Tests/Benchmarks/report.py "$results" "$output" --specsync "$specsync" --sizes "${sizes[@]}"
