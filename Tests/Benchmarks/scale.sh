#!/usr/bin/env bash
# Issue 22's process-against-process rows at scale (goal 5) and start-up (goal 6), each beside the
# git command a user would compare it with, medians printed as JSON lines for BENCHMARKS.md's
# "Round two: scale and start-up":
#
#   Tests/Benchmarks/scale.sh                 100,000 bundles
#   BUNDLES=10000 SPECSYNC=PATH Tests/Benchmarks/scale.sh
#   REPOSITORY=DIR BUNDLES=N …                one made before (make-repository.py DIR --bundles N --changes 1)
#
# - start-up:  `specsync --version` beside `git --version` (hyperfine -N; CPU with perf stat when
#              perf is installed);
# - detection: `specsync plan --offline --rev changed-1` from a state synced at `base` (start-up,
#              the state, the two trees compared, the one changed bundle evaluated), beside
#              `git diff-tree -r --name-only base changed-1`: both whole processes;
# - no-op:     `sync --once` at `base` with the state synced at `base`, beside the same diff-tree;
# - first sync: every bundle created at 0 ms latency, concurrency 8 (wall time and peak RSS, for
#              context: it makes the state the rows above start from).
# BASELINE=BINARY adds that specsync build to the detection and no-op rows (a third command in each
# hyperfine run) and makes a first sync of its own against a fresh emulator: a change beside the
# build before it, from one run.
# Never part of the tests. SPECSYNC defaults to a release build (swift build -c release).
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/emulator-env.sh
bundles="${BUNDLES:-100000}"
scratch=(${SCRATCH:+--scratch-path "$SCRATCH"})

bash deploy/install-dependencies.sh hyperfine time python3
if [ -z "${SPECSYNC:-}" ]; then
  swift build -c release "${scratch[@]}" --product specsync >&2
  SPECSYNC="$(swift build -c release "${scratch[@]}" --show-bin-path)/specsync"
fi
specsync="$SPECSYNC"
baseline="${BASELINE:-}"
export BENCH_SECRET=emulator-secret

work="$(mktemp -d -t specsync-scale.XXXXXX)"
emulator_pid=
baseline_emulator_pid=
cleanup() {
  for pid in $emulator_pid $baseline_emulator_pid; do { kill -9 "$pid"; wait "$pid"; } 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# median KEY HYPERFINE_ARGS…: hyperfine's median and spread as one JSON line.
median() {
  local key="$1"; shift
  hyperfine -N --style none --export-json "$work/${key//\//-}.json" "$@" > /dev/null
  python3 - "$key" "$work/${key//\//-}.json" <<'PY'
import json, sys
for result in json.load(open(sys.argv[2]))["results"]:
    times = sorted(result["times"])
    print(json.dumps({"row": sys.argv[1], "command": result["command"], "runs": len(times),
                      "median_ms": round(result["median"] * 1000, 2), "min_ms": round(times[0] * 1000, 2),
                      "max_ms": round(times[-1] * 1000, 2),
                      "cpu_ms": round((result["user"] + result["system"]) * 1000, 2)}))
PY
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
repository="${REPOSITORY:-$work/repo}"
if [ -z "${REPOSITORY:-}" ]; then
  started=$(date +%s.%N)
  python3 Tests/Benchmarks/make-repository.py "$repository" --bundles "$bundles" --changes 1
  git -C "$repository" gc -q
  echo "{\"row\": \"generate/$bundles\", \"s\": $(python3 -c "print(round($(date +%s.%N) - $started, 1))")}"
fi

median "start-up" --warmup 10 --runs 200 "$specsync --version" "git --version"
if command -v perf > /dev/null; then
  for command in "$specsync --version" "git --version"; do
    perf stat -r 200 -x, -e task-clock -o "$work/perf" $command > /dev/null
    echo "{\"row\": \"start-up-cpu\", \"command\": \"$command\", \"task_clock_ms\": $(grep task-clock "$work/perf" | cut -d, -f1)}"
  done
fi

mkdir -p "$work/run"
start_emulator "$specsync" "$work/run"
emulator_pid="$EMULATOR_PID"
{
  printf 'repository: {path: %s, ref: base}\nstate: {directory: %s/run/state}\n' "$repository" "$work"
  emulator_target bench BENCH_SECRET
  printf '      concurrency: 8\n'
} > "$work/run/specsync.yaml"
config="$work/run/specsync.yaml"

/usr/bin/time -f '%e %M' -o "$work/first-sync" "$specsync" sync --once --config "$config" --rev base > /dev/null
read -r seconds kib < "$work/first-sync"
echo "{\"row\": \"first-sync/$bundles\", \"s\": $seconds, \"peak_rss_mib\": $(( kib / 1024 ))}"

detection_baseline=()
no_op_baseline=()
if [ -n "$baseline" ]; then
  # The baseline's own first sync, against an emulator of its own, kept running; its rows below
  # read the state it made itself (a build of another state schema cannot read the other's).
  mkdir -p "$work/baseline"
  start_emulator "$specsync" "$work/baseline"
  baseline_emulator_pid="$EMULATOR_PID"
  {
    printf 'repository: {path: %s, ref: base}\nstate: {directory: %s/baseline/state}\n' "$repository" "$work"
    emulator_target bench BENCH_SECRET
    printf '      concurrency: 8\n'
  } > "$work/baseline/specsync.yaml"
  /usr/bin/time -f '%e %M' -o "$work/first-sync-baseline" "$baseline" sync --once --config "$work/baseline/specsync.yaml" --rev base > /dev/null
  read -r seconds kib < "$work/first-sync-baseline"
  echo "{\"row\": \"first-sync/$bundles/baseline\", \"s\": $seconds, \"peak_rss_mib\": $(( kib / 1024 ))}"
  detection_baseline=("$baseline plan --offline --config $work/baseline/specsync.yaml --rev changed-1")
  no_op_baseline=("$baseline sync --once --config $work/baseline/specsync.yaml --rev base")
fi

diff_tree="git -C $repository diff-tree -r --name-only base changed-1"
median "detection/$bundles" --warmup 3 --runs 30 \
  "$specsync plan --offline --config $config --rev changed-1" "${detection_baseline[@]}" "$diff_tree"
median "no-op/$bundles" --warmup 3 --runs 30 \
  "$specsync sync --once --config $config --rev base" "${no_op_baseline[@]}" "$diff_tree"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
