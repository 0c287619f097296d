#!/usr/bin/env bash
# Commit → remote for a local repository: the time from the start of `git commit` until the
# daemon's PUT of the changed spec reaches the emulator, over TRIALS commits (default 20), with
# the refs watched by inotify (the default) and, as the reference in the same run, polled every
# second (`daemon.watch: poll`, what the daemon did before). `git commit`'s own time, and the time
# from its exit to the remote, are reported beside them.
#
#   Tests/Benchmarks/commit-latency.sh [TRIALS]     (BUNDLES=N, default 1000; BINARY=PATH skips the build;
#                                                  SCRATCH=DIR builds in another build folder)
#
# Never part of the tests. Prints one line per mode: median and max in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/emulator-env.sh
trials="${1:-20}"
bundles="${BUNDLES:-1000}"
scratch=(${SCRATCH:+--scratch-path "$SCRATCH"})
bash deploy/install-dependencies.sh python3
if [ -n "${BINARY:-}" ]; then
  bin="$BINARY"
else
  swift build -c release --product specsync "${scratch[@]}" >&2
  bin="$(swift build -c release --show-bin-path "${scratch[@]}")/specsync"
fi

work="$(mktemp -d -t specsync-latency.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export BENCH_SECRET=emulator-secret

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in inotify poll; do
  run="$work/$mode"
  mkdir -p "$run"
  python3 Tests/Benchmarks/make-repository.py "$run/repo" --bundles "$bundles" > /dev/null
  git -C "$run/repo" checkout -q -f main
  start_emulator "$bin" "$run"
  pids+=("$EMULATOR_PID")
  cat > "$run/specsync.yaml" <<YAML
repository: {path: $run/repo}
state: {directory: $run/state}
daemon:
  watch: $mode
  pollInterval: 1s
  drift: {interval: off}
  http: {port: 0}
YAML
  emulator_target bench BENCH_SECRET >> "$run/specsync.yaml"
  "$bin" sync --config "$run/specsync.yaml" --log-level warning > "$run/daemon.log" 2>&1 &
  pids+=($!)
  python3 - "$run/repo" "$EMULATOR_URL" "$trials" "$mode" <<'PY'
import json, random, statistics, subprocess, sys, time, urllib.request

repo, url, trials, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@specsync.invalid",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@specsync.invalid", "PATH": "/usr/bin:/bin"}

def writes():
    stats = json.loads(urllib.request.urlopen(url + "/__emulator/statistics").read())
    return sum(count for key, count in stats["requests"].items() if key.split(" ")[0] in ("PUT", "POST", "PATCH"))

def wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"{mode}: timed out")
        time.sleep(0.001)

# The first pass creates every spec; it is over once the writes stop growing for 5 s.
last, steady = -1, time.monotonic()
while last <= 0 or time.monotonic() - steady < 5.0:
    current = writes()
    if current != last:
        last, steady = current, time.monotonic()
    time.sleep(0.05)

latencies, after_commit, commits = [], [], []
path = f"{repo}/Sources/bench-000000/Artifacts/bench-000000-connectionSpec.json"
for trial in range(trials):
    spec = json.load(open(path))
    spec["description"] = f"latency trial {trial} {random.random()}"
    json.dump(spec, open(path, "w"), indent=2)
    subprocess.run(["git", "-C", repo, "add", "-A"], check=True, env=env)
    before = writes()
    started = time.monotonic()
    subprocess.run(["git", "-C", repo, "commit", "-q", "-m", f"trial {trial}"], check=True, env=env)
    committed = time.monotonic()
    wait_for(lambda: writes() > before)
    arrived = time.monotonic()
    latencies.append((arrived - started) * 1000)
    after_commit.append((arrived - committed) * 1000)
    commits.append((committed - started) * 1000)
    # A random pause, so that the commits fall anywhere between two polls.
    time.sleep(random.uniform(0.3, 1.3))

print(f"{mode}: commit → remote median {statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms over {trials} trials; "
      f"from git commit's exit median {statistics.median(after_commit):.1f} ms, max {max(after_commit):.1f} ms; "
      f"git commit median {statistics.median(commits):.1f} ms, max {max(commits):.1f} ms")
print(f"{mode}: all (ms): " + " ".join(f"{x:.0f}" for x in latencies))
PY
  kill "${pids[-1]}" "$EMULATOR_PID"; wait "${pids[-1]}" "$EMULATOR_PID" 2>/dev/null || true
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
