#!/usr/bin/env bash
# Round two's HTTP/2 rows: 2,000 creates at 20 ms per request, concurrency 8, against the emulator over
# TLS offering HTTP/1.1 only (`--no-http2`) and offering h2 by ALPN, interleaved run by run, a fresh
# emulator and state each run, the target trusting a throwaway openssl CA with `http.caFile`. Medians
# printed as JSON lines for BENCHMARKS.md's "Round two: HTTP/2":
#
#   Tests/Benchmarks/http2.sh
#   RUNS=5 SPECSYNC=.build/debug/specsync Tests/Benchmarks/http2.sh
#
# Per run: wall and CPU seconds of `sync --once` (/usr/bin/time), Flow Service requests per second of
# wall time, and the TCP connections the emulator saw carry requests (its statistics' `connections`)
# with the protocol they spoke (`requestsByHTTPVersion`). `cleartext` (plain HTTP/1.1, writes.sh's
# `creates`) runs beside them as the reference without TLS. Never part of the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/emulator-env.sh
runs="${RUNS:-3}"
scratch=(${SCRATCH:+--scratch-path "$SCRATCH"})

bash deploy/install-dependencies.sh time python3 openssl
if [ -z "${SPECSYNC:-}" ]; then
  swift build -c release "${scratch[@]}" --product specsync >&2
  SPECSYNC="$(swift build -c release "${scratch[@]}" --show-bin-path)/specsync"
fi
specsync="$SPECSYNC"
export BENCH_SECRET=emulator-secret

work="$(mktemp -d -t specsync-http2.XXXXXX)"
emulators=()
cleanup() { for pid in "${emulators[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# A CA and a certificate it signed for 127.0.0.1, as the tests make them (TestCertificateAuthority).
(
  cd "$work"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=specsync bench CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2> /dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=localhost 2> /dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext 2> /dev/null
)

repository="$work/repo-2000"
python3 Tests/Benchmarks/make-repository.py "$repository" --bundles 2000
git -C "$repository" gc -q

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for run in $(seq 1 "$runs"); do
  for protocol in cleartext http1 h2; do
    dir="$work/$protocol-$run"
    mkdir -p "$dir"
    options=(--latency 20)
    [ "$protocol" != cleartext ] && options+=(--tls-certificate "$work/server.pem" --tls-key "$work/server.key")
    [ "$protocol" = http1 ] && options+=(--no-http2)
    start_emulator "$specsync" "$dir" "${options[@]}"
    emulators+=("$EMULATOR_PID")
    {
      printf 'repository: {path: %s, ref: base}\nstate: {directory: %s/state}\n' "$repository" "$dir"
      emulator_target bench BENCH_SECRET
      printf '      concurrency: 8\n    http:\n      caFile: %s\n' "$work/ca.pem"
    } > "$dir/specsync.yaml"
    /usr/bin/time -f '%e %U %S' -o "$dir/time" "$specsync" sync --once --config "$dir/specsync.yaml" --rev base > "$dir/sync.log"
    python3 -c 'import ssl,sys,urllib.request; c=ssl.create_default_context(cafile=sys.argv[2]); open(sys.argv[3],"w").write(urllib.request.urlopen(sys.argv[1] + "/__emulator/statistics", context=c).read().decode())' \
      "$EMULATOR_URL" "$work/ca.pem" "$dir/statistics.json"
    kill -9 "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
for protocol in ("cleartext", "http1", "h2"):
    rows = []
    for run in range(1, runs + 1):
        wall, user, system = map(float, open(f"{work}/{protocol}-{run}/time").read().split()[-3:])
        stats = json.load(open(f"{work}/{protocol}-{run}/statistics.json"))
        flow = sum(n for key, n in stats["requests"].items() if key.split()[1] in ("connectionSpecs", "connectionSpec", "flowSpecs", "flowSpec"))
        rows.append({"wall_s": wall, "cpu_s": round(user + system, 2), "requests_per_s": round(flow / wall, 1),
                     "writes": stats["writes"], "connections": stats["connections"], "versions": stats["requestsByHTTPVersion"]})
    print(json.dumps({"row": f"creates/{protocol}", "runs": runs,
                      "median_s": statistics.median(r["wall_s"] for r in rows),
                      "median_cpu_s": statistics.median(r["cpu_s"] for r in rows),
                      "median_requests_per_s": statistics.median(r["requests_per_s"] for r in rows),
                      "connections": [r["connections"] for r in rows], "writes": [r["writes"] for r in rows],
                      "versions": rows[0]["versions"], "all_s": [r["wall_s"] for r in rows]}))
PY
