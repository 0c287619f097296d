#!/usr/bin/env bash
# BENCHMARKS.md, "PostgreSQL state backend": the same two rows on the file backend and on PostgreSQL,
# from one run: 1,000 PUTs against the emulator at 20 ms per request (8 in flight), and the no-op
# `sync --once` over 10,000 bundles. The database is a throwaway cluster (initdb in a temporary
# folder, a loopback port, fsync on as in production, stopped at the end).
#
#   Tests/Benchmarks/postgres-backend.sh         SPECSYNC=BINARY (default: a release build)
#   NOOP_BUNDLES=N (default 10000)  RUNS=N (no-op runs, default 10)
#
# Prints a Markdown table and the load average; never part of the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/emulator-env.sh
bash deploy/install-dependencies.sh hyperfine time python3 >&2
specsync="${SPECSYNC:-}"
if [ -z "$specsync" ]; then
  swift build -c release --product specsync >&2
  specsync="$(swift build -c release --show-bin-path)/specsync"
fi
noop_bundles="${NOOP_BUNDLES:-10000}"
runs="${RUNS:-10}"
export BENCH_SECRET=emulator-secret

work="$(mktemp -d -t specsync-pg-bench.XXXXXX)"
chmod 0755 "$work"  # the postgres user must reach its data folder inside
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_postgres=()
[ "$(id -u)" = 0 ] && as_postgres=(runuser -u postgres --)
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$work/pg"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
emulator_pids=()
cleanup() {
  for pid in "${emulator_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "${as_postgres[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_postgres[@]}" "$pgbin/initdb" -D "$work/pg/data" -U specsync --auth=trust -E UTF8 --locale=C > /dev/null
"${as_postgres[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
  -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start > /dev/null

# config DIR REPOSITORY BACKEND: a Flow Service target on the running emulator, the state on BACKEND.
config() {
  {
    printf 'repository: {path: %s, ref: base}\n' "$2"
    if [ "$3" = postgres ]; then
      local database="bench_$RANDOM$RANDOM"
      "$pgbin/psql" -h 127.0.0.1 -p "$port" -U specsync -d postgres -X -q -c "CREATE DATABASE $database"
      printf 'state:\n  backend: postgres\n  postgres: {url: "postgres://specsync@127.0.0.1:%s/%s", sslmode: disable}\n' "$port" "$database"
    else
      printf 'state: {directory: %s/state}\n' "$1"
    fi
    emulator_target bench BENCH_SECRET
    printf '      concurrency: 8\n'
  } > "$1/specsync.yaml"
}

put_total() {
  python3 -c 'import json, sys, urllib.request
s = json.loads(urllib.request.urlopen(sys.argv[1] + "/__emulator/statistics").read())
print(sum(c for k, c in s["requests"].items() if k.startswith("PUT connectionSpec")))' "$EMULATOR_URL"
}

declare -A throughput noop
throughput_repository="$work/repo-1000"
python3 Tests/Benchmarks/make-repository.py "$throughput_repository" --bundles 1000 --changes 1000 > /dev/null
noop_repository="$work/repo-$noop_bundles"
python3 Tests/Benchmarks/make-repository.py "$noop_repository" --bundles "$noop_bundles" --changes 1 > /dev/null
git -C "$noop_repository" gc -q

for backend in file postgres; do
  echo "== $backend" >&2
  # 1,000 PUTs at 20 ms: the median of three passes that each replace every spec.
  run="$work/throughput-$backend"
  mkdir -p "$run"
  start_emulator "$specsync" "$run" --latency 20
  emulator_pids+=("$EMULATOR_PID")
  config "$run" "$throughput_repository" "$backend"
  "$specsync" sync --once --config "$run/specsync.yaml" --rev base > /dev/null
  times=()
  for round in 1 2 3; do
    revision=changed-1000; [ $((round % 2)) -eq 0 ] && revision=base
    before=$(put_total)
    started=$(date +%s%3N)
    "$specsync" sync --once --config "$run/specsync.yaml" --rev "$revision" > /dev/null
    times+=($(( $(date +%s%3N) - started )))
    puts=$(( $(put_total) - before ))
    [ "$puts" -ge 1000 ] || { echo "round $round sent $puts PUTs, not 1,000" >&2; exit 1; }
  done
  throughput[$backend]="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)"
  kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null || true

  # The no-op: everything recorded, nothing changed.
  run="$work/noop-$backend"
  mkdir -p "$run"
  start_emulator "$specsync" "$run"
  emulator_pids+=("$EMULATOR_PID")
  config "$run" "$noop_repository" "$backend"
  "$specsync" sync --once --config "$run/specsync.yaml" --rev base > /dev/null
  hyperfine --shell=none --style none --warmup 2 --runs "$runs" --export-json "$run/noop.json" \
    "$specsync sync --once --config $run/specsync.yaml --rev base" > /dev/null
  noop[$backend]="$(python3 -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$run/noop.json")"
  kill "$EMULATOR_PID"; wait "$EMULATOR_PID" 2>/dev/null || true
done

ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$1" "$2"; }
echo "| row | file backend | PostgreSQL backend | PostgreSQL / file |"
echo "|---|---|---|---|"
echo "| 1,000 PUTs at 20 ms, 8 in flight (median of 3 passes) | ${throughput[file]} ms | ${throughput[postgres]} ms | $(ratio "${throughput[postgres]}" "${throughput[file]}") |"
echo "| no-op \`sync --once\`, $noop_bundles bundles (median of $runs) | ${noop[file]} ms | ${noop[postgres]} ms | $(ratio "${noop[postgres]}" "${noop[file]}") |"
echo
echo "binary: $specsync; PostgreSQL: $("$pgbin/postgres" --version); load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
