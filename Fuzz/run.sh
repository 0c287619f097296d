#!/usr/bin/env bash
# Fuzzes the path from a file's bytes to the replacement body and its findings (JSONParser →
# SpecValidator/ConnectionValidator/IconValidator → ReplacementBodyBuilder → canonical bytes, through
# SpecSyncCore's PipelineProbe) with libFuzzer and AddressSanitizer.
#
#   Fuzz/run.sh [SECONDS]   fuzz for SECONDS (default 600) on one core, starting from Fuzz/corpus;
#                           new inputs go to Fuzz/.build/work-corpus, crashes to Fuzz/artifacts/
#   Fuzz/run.sh --replay    run every file of Fuzz/corpus once and stop (what CI does)
#   Fuzz/run.sh --merge     fold the inputs of Fuzz/.build/work-corpus that add coverage into Fuzz/corpus
#
# Only SpecSyncCore and its dependencies are built, with sanitizers, in Fuzz/.build; the package's
# own .build is untouched. `swift test` replays the same corpus without sanitizers (FuzzCorpusTests).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# One combined -sanitize flag for swiftc: SwiftPM's `--sanitize fuzzer --sanitize address` passes two
# flags in an order that changes from run to run, swiftc keeps only the last, and so each build got
# either coverage or AddressSanitizer (and rebuilt everything whenever the order flipped). The C
# dependencies (BoringSSL, libyaml) are not instrumented: they are not what is fuzzed. lld, because
# gold stops with "internal error in format_file_lineno" on this link.
build=(swift build --package-path "$here" -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
       --product SpecSyncFuzz)

echo "building the fuzz target (sanitizers: fuzzer, address)…" >&2
"${build[@]}" 2>&1 | grep -Ev '^(warning: |ld\.gold: warning|/usr/bin/ld\.gold: warning)' | tail -3 >&2
fuzzer="$("${build[@]}" --show-bin-path)/SpecSyncFuzz"
# Swift's own crash backtracer reads memory that AddressSanitizer guards and buries the real report.
export SWIFT_BACKTRACE=enable=no
corpus="$here/corpus"
mkdir -p "$here/artifacts"
options=(-artifact_prefix="$here/artifacts/" -dict="$here/json.dict" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

case "${1:-600}" in
--replay)
    # -runs=0 after loading: every corpus file is executed exactly once.
    exec "$fuzzer" "${options[@]}" -runs=0 "$corpus"
    ;;
--merge)
    # The smallest set of inputs that keeps every feature, rather than every input that adds one.
    exec "$fuzzer" "${options[@]}" -set_cover_merge=1 "$corpus" "$here/.build/work-corpus"
    ;;
*[!0-9]*)
    echo "usage: $0 [SECONDS] | --replay | --merge" >&2
    exit 2
    ;;
*)
    mkdir -p "$here/.build/work-corpus"
    exec "$fuzzer" "${options[@]}" -max_total_time="$1" "$here/.build/work-corpus" "$corpus"
    ;;
esac
