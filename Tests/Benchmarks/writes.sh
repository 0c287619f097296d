#!/usr/bin/env bash
# Round two's write rows, specsync beside the peer (Tests/Benchmarks/peer/peer.py, the pygit2 +
# requests program a user would write instead), interleaved run by run, medians printed as JSON
# lines for BENCHMARKS.md's "Round two: writes and reads":
#
#   Tests/Benchmarks/writes.sh               small change in a big repository, then 2,000 creates
#   RUNS=5 ROWS="small creates cpu" Tests/Benchmarks/writes.sh
#
# - small:   20 changed bundles in 10,000 at 20 ms per request, concurrency 8 (each run goes from one
#            of `base`/`changed-20` to the other, so that every run is 20 updates);
# - creates: 2,000 creates at 20 ms, concurrency 8, a fresh emulator and state each run; the bound is
#            8 ÷ 20 ms = 400 writes/s, 5.0 s. `creates/server` is the emulator's own round trip at
#            20 ms in this run (Tests/Benchmarks/round-trip.py: one keep-alive client, nothing else
#            running) and the floor it sets, 250 of them: no client can beat that;
# - cpu:     2,000 creates at 0 ms: CPU per create (/usr/bin/time), fdatasync per create at 20 ms (strace -c).
#
# Each timed run also reports the time from the emulator's last Flow Service answer to the client's
# exit (`tail_ms`: what the client still does once the network is done). PIN=1 runs every emulator
# on core 1 and the client (specsync or the peer) on core 0 (taskset), so that neither takes the
# other's CPU: the closest a 2-core machine comes to a server on another host. BASELINE=BINARY runs
# that specsync build too, interleaved run by run in the creates and cpu rows (`creates/baseline`,
# `cpu/baseline`): a change against the build before it, from one run.
# Never part of the tests. Release binary: swift build -c release --product specsync.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
source deploy/emulator-env.sh
runs="${RUNS:-5}"
rows=(${ROWS:-small creates cpu})
scratch=(${SCRATCH:+--scratch-path "$SCRATCH"})

bash deploy/install-dependencies.sh hyperfine time python3 python3-pygit2 python3-requests strace
if [ -z "${SPECSYNC:-}" ]; then
  swift build -c release "${scratch[@]}" --product specsync >&2
  SPECSYNC="$(swift build -c release "${scratch[@]}" --show-bin-path)/specsync"
fi
specsync="$SPECSYNC"
baseline="${BASELINE:-}"
specsync_builds=(specsync)
[ -n "$baseline" ] && specsync_builds+=(baseline)
# binary NAME: the specsync binary of build NAME.
binary() { if [ "$1" = baseline ]; then echo "$baseline"; else echo "$specsync"; fi; }
peer="$root/Tests/Benchmarks/peer/peer.py"
# Debian's python, where python3-pygit2 and python3-requests are installed (not a pyenv one on PATH).
peer_python=/usr/bin/python3
export BENCH_SECRET=emulator-secret

work="$(mktemp -d -t specsync-writes.XXXXXX)"
emulators=()
cleanup() { for pid in "${emulators[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# emulator DIR LATENCY: a fresh emulator for one program; sets EMULATOR_URL, EMULATOR_PID.
pin_client=()
[ "${PIN:-0}" = 1 ] && pin_client=(taskset -c 0)
emulator() {
  mkdir -p "$1"
  start_emulator "$specsync" "$1" --latency "$2"
  emulators+=("$EMULATOR_PID")
  if [ "${PIN:-0}" = 1 ]; then taskset -a -p -c 1 "$EMULATOR_PID" > /dev/null; fi
}
stop_emulator() { kill -9 "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# configure DIR REPOSITORY: specsync's configuration and the peer's arguments for the running emulator.
configure() {
  {
    printf 'repository: {path: %s, ref: base}\nstate: {directory: %s/state}\n' "$2" "$1"
    emulator_target bench BENCH_SECRET
    printf '      concurrency: 8\n'
  } > "$1/specsync.yaml"
  printf '%s\n' "$2" --state "$1/peer-state.json" --base-url "$EMULATOR_URL/data/foundation/flowservice" \
    --ims-url "$EMULATOR_URL" --client-id specsync-emulator --client-secret-env BENCH_SECRET \
    --org EMULATOR0000000000000000@AdobeOrg --concurrency 8 > "$1/peer-arguments"
}

# timed OUT COMMAND…: wall seconds and peak RSS (KiB) of COMMAND as "SECONDS KIB USER SYS" in OUT,
# and in OUT.tail the milliseconds from the running emulator's last Flow Service answer to its exit.
timed() {
  local out="$1"; shift
  "${pin_client[@]}" /usr/bin/time -f '%e %M %U %S' -o "$out" "$@" > /dev/null
  local exited; exited="$(date +%s.%N)"
  python3 -c 'import json,sys,urllib.request; s=json.load(urllib.request.urlopen(sys.argv[1] + "/__emulator/statistics")); print(round((float(sys.argv[2]) - s["lastFlowServiceAnswerAt"]) * 1000, 1))' \
    "$EMULATOR_URL" "$exited" > "$out.tail"
}

# summary NAME FILES…: the medians of timed files as one JSON line.
summary() {
  python3 - "$@" <<'PY'
import json, statistics, sys
name, files = sys.argv[1], sys.argv[2:]
rows = [list(map(float, open(f).read().split()[-4:])) for f in files]
tails = [float(open(f + ".tail").read()) for f in files]
print(json.dumps({"row": name, "runs": len(rows),
                  "median_s": statistics.median(r[0] for r in rows),
                  "median_rss_mib": round(statistics.median(r[1] for r in rows) / 1024, 1),
                  "median_cpu_s": round(statistics.median(r[2] + r[3] for r in rows), 3),
                  "median_tail_ms": statistics.median(tails), "max_tail_ms": max(tails),
                  "all_s": [r[0] for r in rows]}))
PY
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

if [[ " ${rows[*]} " == *" small "* ]]; then
  echo "== 20 changed in 10,000 at 20 ms" >&2
  repository="$work/repo-10000"
  python3 Tests/Benchmarks/make-repository.py "$repository" --bundles 10000 --changes 20
  git -C "$repository" gc -q
  for program in specsync peer; do
    emulator "$work/small-$program" 20
    configure "$work/small-$program" "$repository"
    eval "pid_$program=$EMULATOR_PID url_$program=$EMULATOR_URL"
  done
  # Both start synced at base (untimed).
  "$specsync" sync --once --config "$work/small-specsync/specsync.yaml" --rev base > /dev/null
  mapfile -t peer_arguments < "$work/small-peer/peer-arguments"
  "$peer_python" "$peer" "${peer_arguments[@]}" --rev base > /dev/null
  for run in $(seq 1 "$runs"); do
    revision=changed-20; [ $((run % 2)) -eq 0 ] && revision=base
    EMULATOR_URL="$url_specsync" timed "$work/small-specsync-$run.time" "$specsync" sync --once --config "$work/small-specsync/specsync.yaml" --rev "$revision"
    EMULATOR_URL="$url_peer" timed "$work/small-peer-$run.time" "$peer_python" "$peer" "${peer_arguments[@]}" --rev "$revision"
  done
  summary "small/specsync" "$work"/small-specsync-*.time
  summary "small/peer" "$work"/small-peer-*.time
  stop_emulator "$pid_specsync"; stop_emulator "$pid_peer"
fi

repository="$work/repo-2000"
if [[ " ${rows[*]} " == *" creates "* || " ${rows[*]} " == *" cpu "* ]]; then
  python3 Tests/Benchmarks/make-repository.py "$repository" --bundles 2000
  git -C "$repository" gc -q
fi

if [[ " ${rows[*]} " == *" creates "* ]]; then
  echo "== 2,000 creates at 20 ms" >&2
  emulator "$work/round-trip" 20
  python3 Tests/Benchmarks/round-trip.py "$EMULATOR_URL" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({"row": "creates/server", "round_trip_ms": r["median_ms"], "p90_ms": r["p90_ms"], "floor_s": round(250 * r["median_ms"] / 1000, 3)}))'
  stop_emulator "$EMULATOR_PID"
  for run in $(seq 1 "$runs"); do
    for program in "${specsync_builds[@]}" peer; do
      dir="$work/creates-$program-$run"
      emulator "$dir" 20
      configure "$dir" "$repository"
      if [ "$program" != peer ]; then
        timed "$work/creates-$program-$run.time" "$(binary "$program")" sync --once --config "$dir/specsync.yaml" --rev base
      else
        mapfile -t peer_arguments < "$dir/peer-arguments"
        timed "$work/creates-peer-$run.time" "$peer_python" "$peer" "${peer_arguments[@]}" --rev base
      fi
      stop_emulator "$EMULATOR_PID"
    done
  done
  for build in "${specsync_builds[@]}"; do summary "creates/$build" "$work"/creates-$build-*.time; done
  summary "creates/peer" "$work"/creates-peer-*.time
fi

if [[ " ${rows[*]} " == *" cpu "* ]]; then
  echo "== CPU per create at 0 ms, fdatasync per create at 20 ms" >&2
  for run in $(seq 1 "$runs"); do
    for build in "${specsync_builds[@]}"; do
      dir="$work/cpu-$build-$run"
      emulator "$dir" 0
      configure "$dir" "$repository"
      timed "$work/cpu-$build-$run.time" "$(binary "$build")" sync --once --config "$dir/specsync.yaml" --rev base
      stop_emulator "$EMULATOR_PID"
    done
  done
  for build in "${specsync_builds[@]}"; do summary "cpu/$build" "$work"/cpu-$build-*.time; done
  dir="$work/fdatasync"
  emulator "$dir" 20
  configure "$dir" "$repository"
  strace -f -c -e trace=fdatasync,fsync -o "$dir/strace" "$specsync" sync --once --config "$dir/specsync.yaml" --rev base > /dev/null
  python3 - "$dir/strace" <<'PY'
import json, sys
calls = {line.split()[-1]: int(line.split()[3]) for line in open(sys.argv[1]) if line.split() and line.split()[-1] in ("fdatasync", "fsync")}
print(json.dumps({"row": "fdatasync/specsync", "creates": 2000, **calls, "fdatasync_per_create": calls.get("fdatasync", 0) / 2000}))
PY
  stop_emulator "$EMULATOR_PID"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
