#!/usr/bin/env bash
# What a CI runner with no state pays: `sync --once` of N bundles that are already in sync, against the
# emulator at 20 ms a request, once with the state a previous run left and once with none (the state
# folder deleted before every run, as on a fresh runner), and writes the "Stateless CI runs" section
# of BENCHMARKS.md: requests sent (counted by the emulator) and wall time, medians of the rounds.
#
#   Tests/Benchmarks/stateless-ci.sh [BUNDLES]   (default 1000; ROUNDS=5; BINARY=PATH measures that binary
#                                           instead of a release build, BINARY_COMMIT=REV names the commit
#                                           it was built from; OUTPUT=- prints the section)
#
# Never part of the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/emulator-env.sh
bundles="${1:-1000}"
rounds="${ROUNDS:-5}"
output="${OUTPUT:-BENCHMARKS.md}"
bash deploy/install-dependencies.sh python3
if [ -n "${BINARY:-}" ]; then
  specsync="$BINARY"
else
  swift build -c release --product specsync >&2
  specsync="$(swift build -c release --show-bin-path)/specsync"
fi

work="$(mktemp -d -t specsync-stateless.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export BENCH_SECRET=emulator-secret

repository="$work/repository"
python3 Tests/Benchmarks/make-repository.py "$repository" --bundles "$bundles" --changes 1 > /dev/null
start_emulator "$specsync" "$work" --latency 20
pids+=("$EMULATOR_PID")
{
  printf 'repository: {path: %s, ref: base}\nstate: {directory: %s/state}\n' "$repository" "$work"
  emulator_target bench BENCH_SECRET
  printf '      concurrency: 8\n'
} > "$work/specsync.yaml"
"$specsync" sync --once --config "$work/specsync.yaml" > /dev/null

requests() { python3 -c 'import json,sys,urllib.request; s=json.load(urllib.request.urlopen(sys.argv[1] + "/__emulator/statistics")); print(sum(s["requests"].values()), sum(v for k, v in s["requests"].items() if k.split(" ")[0] in ("POST", "PUT", "DELETE") and k.split(" ")[1] != "token"))' "$EMULATOR_URL"; }
now_ms() { date +%s%3N; }

# run KIND: one `sync --once`, deleting the state first for "stateless"; prints "ms requests writes status"
# (writes: POST, PUT and DELETE to the API; the IMS token request is a POST but writes nothing).
run() {
  [ "$1" = stateless ] && rm -rf "$work/state"
  read -r total_before writes_before < <(requests)
  local started status=0
  started=$(now_ms)
  "$specsync" sync --once --config "$work/specsync.yaml" > "$work/last.txt" 2>&1 || status=$?
  local elapsed=$(( $(now_ms) - started ))
  read -r total_after writes_after < <(requests)
  echo "$elapsed $(( total_after - total_before )) $(( writes_after - writes_before )) $status"
}

results="$work/results.txt"
: > "$results"
for round in $(seq 1 "$rounds"); do
  # Interleaved, so that both kinds see the same machine.
  echo "with-state $(run with-state)" >> "$results"
  echo "stateless $(run stateless)" >> "$results"
done

python3 - "$results" "$output" "$bundles" "$specsync" <<'PY'
import os, statistics, subprocess, sys, datetime
results, output, bundles, binary = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = {}
for line in open(results):
    kind, ms, requests, writes, status = line.split()
    rows.setdefault(kind, []).append((int(ms), int(requests), int(writes), int(status)))
def summary(kind):
    runs = rows[kind]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs), sorted({r[3] for r in runs}))
state_ms, state_requests, state_writes, state_status = summary("with-state")
bare_ms, bare_requests, bare_writes, bare_status = summary("stateless")
version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
commit = os.environ.get("BINARY_COMMIT") or subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
BEGIN, END = "<!-- stateless-ci:begin (written by Tests/Benchmarks/stateless-ci.sh) -->", "<!-- stateless-ci:end -->"
lines = [BEGIN, "## Stateless CI runs", "",
    f"`Tests/Benchmarks/stateless-ci.sh {bundles}` ({datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, "
    f"specsync {version} at {commit}, {os.cpu_count()} cores): `sync --once` of {bundles:,} bundles already in sync, emulator "
    f"at 20 ms a request, concurrency 8; {len(rows['stateless'])} interleaved rounds, medians. \"No state\" deletes the "
    "state folder before every run, as a fresh CI runner has none: the pass lists the target once, matches every "
    "spec by name and records it without a write.", "",
    "| run | requests sent | writes | wall time | exit |", "|---|---|---|---|---|",
    f"| with the state of the previous run | {state_requests:.0f} | {state_writes} | {state_ms / 1000:.2f} s | {', '.join(map(str, state_status))} |",
    f"| no state (fresh runner) | {bare_requests:.0f} | {bare_writes} | {bare_ms / 1000:.2f} s | {', '.join(map(str, bare_status))} |",
    "", f"The stateless run costs {bare_requests - state_requests:.0f} more requests (the token and the listing's pages) and "
    f"{(bare_ms - state_ms) / 1000:.2f} s more; it sends no write.", "", END]
section = "\n".join(lines) + "\n"
if output == "-":
    print(section, end="")
    sys.exit(0)
text = open(output).read()
if BEGIN in text and END in text:
    before, rest = text.split(BEGIN, 1)
    text = before + section + rest.split(END, 1)[1].lstrip("\n")
else:
    text = text.rstrip("\n") + "\n\n" + section
open(output, "w").write(text)
print(f"wrote the stateless CI figures into {output}")
PY
