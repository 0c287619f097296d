#!/usr/bin/env bash
# Measures what `specsync sync` costs when nothing happens: CPU time and resident memory of the
# daemon over an idle period, watching a local repository of Config/examples (refs watched with
# inotify, the 1 s poll as the fallback; drift checked every 5 minutes) against the bundled emulator.
#
#   Tests/Benchmarks/idle-daemon.sh [SECONDS]      (default 600; CONFIGURATION=release|debug, default release;
#                                             SCRATCH=DIR builds in another build folder,
#                                             BUILD_FLAGS="--static-swift-stdlib" adds build flags,
#                                             BINARY=PATH measures that binary instead of building,
#                                             BUNDLES=N watches N generated bundles instead of Config/examples)
#
# It prints the figures, then the daemon's resident memory by mapping (from /proc/PID/smaps).
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/emulator-env.sh
seconds="${1:-600}"
configuration="${CONFIGURATION:-release}"
scratch=(${SCRATCH:+--scratch-path "$SCRATCH"})
read -r -a extra <<< "${BUILD_FLAGS:-}"
scratch+=("${extra[@]}")
bash deploy/install-dependencies.sh
if [ -n "${BINARY:-}" ]; then
  bin="$BINARY"
else
  swift build -c "$configuration" --product specsync "${scratch[@]}" >&2
  bin="$(swift build -c "$configuration" --show-bin-path "${scratch[@]}")/specsync"
fi

work="$(mktemp -d -t specsync-idle.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start_emulator "$bin" "$work"
pids+=("$EMULATOR_PID")
# The daemon runs an installed copy, as deploy/install.sh leaves it. Resident text depends on how the
# file sits in the page cache: a fault maps the cached pages around it (64 KB, whole folios), and a
# file written with write() (install, cp, a package manager) is cached in 64 KB folios here, while
# the linker writes its output through mmap, in 4 KB pages. The linker's own file measures about
# 1 MB smaller, which is not what a deployment runs.
daemon_bin="$work/specsync"
install -m 0755 "$bin" "$daemon_bin"

if [ -n "${BUNDLES:-}" ]; then
  python3 Tests/Benchmarks/make-repository.py "$work/repo" --bundles "$BUNDLES" > /dev/null
  git -C "$work/repo" checkout -q -f main
else
  cp -R Config/examples "$work/repo"
  git -C "$work/repo" init -q -b main
  git -C "$work/repo" -c user.name=bench -c user.email=bench@specsync.invalid add -A
  git -C "$work/repo" -c user.name=bench -c user.email=bench@specsync.invalid commit -q -m examples
fi
cat > "$work/specsync.yaml" <<YAML
repository: {path: repo}
state: {directory: state}
daemon:
  pollInterval: 1s
  drift: {interval: 5m, policy: warn}
  http: {port: 0}
YAML
emulator_target bench BENCH_SECRET >> "$work/specsync.yaml"
BENCH_SECRET=emulator-secret "$daemon_bin" sync --config "$work/specsync.yaml" --log-level warning > "$work/daemon.log" 2>&1 &
daemon=$!
pids+=($daemon)
# Let the first pass finish before measuring: the state's files stop changing for 3 s.
stamp() { { find "$work/state" -type f -printf '%s %T@\n' 2>/dev/null || true; } | sort | md5sum; }
last="" steady=0
for _ in $(seq 1 1200); do
  current="$(stamp)"
  if [ -s "$work/state/bench.state.json" ] && [ "$current" = "$last" ]; then
    steady=$((steady + 1)); [ "$steady" -ge 30 ] && break
  else
    steady=0
  fi
  last="$current"
  sleep 0.1
done

ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
start_cpu=$(cpu)
peak_rss=0
for _ in $(seq 1 "$seconds"); do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")
  [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  sleep 1
done
end_cpu=$(cpu)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$daemon/status")
cpu_seconds=$(awk -v a="$start_cpu" -v b="$end_cpu" -v t="$ticks" 'BEGIN {printf "%.2f", (b - a) / t}')
echo "idle_seconds=$seconds build=$configuration cpu_seconds=$cpu_seconds rss_end_kib=$rss rss_peak_kib=$peak_rss"
echo "resident kB by mapping (100 kB or more):"
awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6 ? $6 : "anonymous (heap, stacks, .bss)"); sub(".*/", "", name) }
     /^Rss:/ { rss[name] += $2 }
     END { for (name in rss) if (rss[name] >= 100) printf "%8d  %s\n", rss[name], name }' "/proc/$daemon/smaps" | sort -rn
