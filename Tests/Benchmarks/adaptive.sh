#!/usr/bin/env bash
# Round two's adaptive-concurrency rows (issue 22, goal 3), specsync's default `concurrency: adaptive`
# beside a fixed `concurrency: 8` and the peer (Tests/Benchmarks/peer/peer.py, 8 threads), interleaved
# run by run, a fresh emulator and state each run; medians printed as JSON lines and a markdown table
# for BENCHMARKS.md's "Round two: adaptive concurrency":
#
#   Tests/Benchmarks/adaptive.sh
#   RUNS=3 CREATES=2000 ROWS="limited open" Tests/Benchmarks/adaptive.sh
#   BASELINE=BINARY adds that specsync build (its default, adaptive) to every row, interleaved
#
# - limited: CREATES creates against `--latency 20 --rate-limit 100` (a token bucket of 100 a second,
#            burst 100): writes/s over the whole process and over the write phase (whole seconds from
#            the first request to the last, as the emulator counted them) against the limit (goal
#            ≥ 90%), and the
#            fraction of Flow Service requests answered 429 (goal ≤ 1%), from the emulator's statistics;
# - open:    CREATES creates against `--latency 20`, no limit: the peak in flight (emulator's
#            maxConcurrentRequests, goal ≥ 32) and writes/s (goal ≥ 1,200), with CPU seconds of
#            specsync (user + sys) and of the emulator beside them: both share this machine's cores.
# Never part of the tests. Release binary: swift build -c release --product specsync (or SPECSYNC=).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
source deploy/emulator-env.sh
runs="${RUNS:-3}"
creates="${CREATES:-2000}"
rows=(${ROWS:-limited open})
scratch=(${SCRATCH:+--scratch-path "$SCRATCH"})

bash deploy/install-dependencies.sh time python3 python3-pygit2 python3-requests
if [ -z "${SPECSYNC:-}" ]; then
  swift build -c release "${scratch[@]}" --product specsync >&2
  SPECSYNC="$(swift build -c release "${scratch[@]}" --show-bin-path)/specsync"
fi
specsync="$SPECSYNC"
baseline="${BASELINE:-}"
adaptive_builds=(adaptive ${baseline:+baseline})
peer="$root/Tests/Benchmarks/peer/peer.py"
peer_python=/usr/bin/python3
export BENCH_SECRET=emulator-secret

work="$(mktemp -d -t specsync-adaptive.XXXXXX)"
emulators=()
cleanup() { for pid in "${emulators[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# configure DIR REPOSITORY CONCURRENCY: specsync's configuration (CONCURRENCY "default": the key
# left out) and the peer's arguments for the running emulator.
configure() {
  {
    printf 'repository: {path: %s, ref: base}\nstate: {directory: %s/state}\n' "$2" "$1"
    emulator_target bench BENCH_SECRET
    [ "$3" = default ] || printf '      concurrency: %s\n' "$3"
  } > "$1/specsync.yaml"
  printf '%s\n' "$2" --state "$1/peer-state.json" --base-url "$EMULATOR_URL/data/foundation/flowservice" \
    --ims-url "$EMULATOR_URL" --client-id specsync-emulator --client-secret-env BENCH_SECRET \
    --org EMULATOR0000000000000000@AdobeOrg --concurrency 8 > "$1/peer-arguments"
}

# run ROW PROGRAM RUN EMULATOR-OPTION…: one program against a fresh emulator; its wall and CPU time
# (/usr/bin/time), the emulator's statistics and CPU seconds go to $work/ROW-PROGRAM-RUN.*.
run() {
  local row="$1" program="$2" number="$3"; shift 3
  local dir="$work/$row-$program-$number"
  mkdir -p "$dir"
  start_emulator "$specsync" "$dir" "$@"
  emulators+=("$EMULATOR_PID")
  case "$program" in
    adaptive|baseline) configure "$dir" "$repository" default ;;
    fixed8|peer) configure "$dir" "$repository" 8 ;;
  esac
  local status=0
  if [ "$program" = peer ]; then
    mapfile -t peer_arguments < "$dir/peer-arguments"
    /usr/bin/time -f '%e %U %S' -o "$dir.time" "$peer_python" "$peer" "${peer_arguments[@]}" --rev base > /dev/null 2> "$dir/stderr" || status=$?
  else
    local binary="$specsync"
    [ "$program" = baseline ] && binary="$baseline"
    /usr/bin/time -f '%e %U %S' -o "$dir.time" "$binary" sync --once --config "$dir/specsync.yaml" --rev base > /dev/null 2> "$dir/stderr" || status=$?
  fi
  echo "$status" > "$dir.status"
  python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
    "$EMULATOR_URL/__emulator/statistics" > "$dir.statistics"
  # The emulator's CPU seconds (utime + stime, clock ticks) before it is stopped.
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$EMULATOR_PID/stat" > "$dir.emulator-cpu"
  kill -9 "$EMULATOR_PID" 2>/dev/null || true
  wait "$EMULATOR_PID" 2>/dev/null || true
}

# summary ROW PROGRAM: the medians of its runs as one JSON line.
summary() {
  python3 - "$work" "$1" "$2" "$creates" <<'PY'
import glob, json, statistics, sys
work, row, program, creates = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runs = []
for time_file in sorted(glob.glob(f"{work}/{row}-{program}-*.time")):
    base = time_file[:-len(".time")]
    fields = open(time_file).read().split()[-3:]
    wall, user, system = map(float, fields)
    stats = json.load(open(base + ".statistics"))
    requests = {key: count for key, count in stats["requests"].items() if " token " not in key}
    total = sum(requests.values())
    refused = sum(count for key, count in requests.items() if key.endswith(" 429"))
    seconds = [entry["second"] for entry in stats["requestStartsPerSecond"]]
    span = (max(seconds) - min(seconds) + 1) if seconds else wall
    # Requests started per second, the first and last (partial) seconds left out.
    middle = [entry["count"] for entry in stats["requestStartsPerSecond"][1:-1]]
    runs.append({
        "wall_s": wall, "cpu_s": user + system, "emulator_cpu_s": float(open(base + ".emulator-cpu").read()),
        "exit": int(open(base + ".status").read()), "writes": stats["writes"], "writes_per_s": stats["writes"] / wall,
        "requests": total, "answered_429": refused, "fraction_429": refused / total if total else 0,
        "peak_in_flight": stats["maxConcurrentRequests"],
        "busiest_second": max((s["count"] for s in stats["requestStartsPerSecond"]), default=0),
        # The write phase as the server saw it: whole seconds from the first request to the last.
        "request_span_s": span, "phase_writes_per_s": stats["writes"] / span,
        "steady_requests_per_s": statistics.median(middle) if middle else 0,
    })
median = lambda key: statistics.median(r[key] for r in runs)
print(json.dumps({"row": f"{row}/{program}", "runs": len(runs), "creates": creates,
                  **{key: round(median(key), 4) for key in ("wall_s", "writes_per_s", "request_span_s", "phase_writes_per_s",
                                                            "steady_requests_per_s", "fraction_429", "answered_429", "requests",
                                                            "peak_in_flight", "busiest_second", "cpu_s", "emulator_cpu_s")},
                  "exits": [r["exit"] for r in runs], "writes": [r["writes"] for r in runs],
                  "all_writes_per_s": [round(r["writes_per_s"], 1) for r in runs]}))
PY
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
repository="$work/repo-$creates"
python3 Tests/Benchmarks/make-repository.py "$repository" --bundles "$creates"
git -C "$repository" gc -q

if [[ " ${rows[*]} " == *" limited "* ]]; then
  echo "== $creates creates at 20 ms against a limit of 100 requests/s" >&2
  for number in $(seq 1 "$runs"); do
    for program in "${adaptive_builds[@]}" fixed8; do run limited "$program" "$number" --latency 20 --rate-limit 100; done
  done
  for program in "${adaptive_builds[@]}"; do summary limited "$program"; done
  summary limited fixed8
fi

if [[ " ${rows[*]} " == *" open "* ]]; then
  echo "== $creates creates at 20 ms, no limit" >&2
  for number in $(seq 1 "$runs"); do
    for program in "${adaptive_builds[@]}" fixed8 peer; do run open "$program" "$number" --latency 20; done
  done
  for program in "${adaptive_builds[@]}"; do summary open "$program"; done
  summary open fixed8
  summary open peer
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
