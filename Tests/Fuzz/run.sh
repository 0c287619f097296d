#!/usr/bin/env bash
# Fuzzes specsync's parsers with libFuzzer and AddressSanitizer. Three targets:
#   body           a file's bytes → replacement body and findings (JSONParser → SpecValidator/
#                  ConnectionValidator/IconValidator/NumberValidator → ReplacementBodyBuilder →
#                  canonical bytes, through SpecSyncCore's PipelineProbe); corpus Tests/Fuzz/corpus
#   configuration  bytes as specsync.yaml → configuration or error (ConfigurationProbe); corpus
#                  Tests/Fuzz/corpus-configuration
#   responses      bytes as a server's answer → Flow Service specs, Flxpoint/Versori connections,
#                  error shapes (SpecSyncTargets' ResponseProbe); corpus Tests/Fuzz/corpus-responses
#
#   Tests/Fuzz/run.sh [--target T] [SECONDS]  fuzz T (default body) for SECONDS (default 600) on one core,
#                                       starting from its corpus; new inputs go to
#                                       Tests/Fuzz/.build/work-<T>, crashes to Tests/Fuzz/artifacts/
#   Tests/Fuzz/run.sh [--target T] --replay   run every file of the corpus once and stop; without --target,
#                                       body and configuration (what CI does: both build with
#                                       SpecSyncJSON, SpecSyncCore and SpecSyncConfiguration only, so the sanitizer build stays short)
#   Tests/Fuzz/run.sh [--target T] --merge    fold the inputs of Tests/Fuzz/.build/work-<T> that add coverage
#                                       into its corpus
#
# Only what a target needs is built, with sanitizers, in Tests/Fuzz/.build; the package's own .build is
# untouched. `swift test` replays every corpus without sanitizers (FuzzCorpusTests,
# ResponseCorpusTests).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
target=""
if [[ "${1:-}" == --target ]]; then
    target="${2:?--target needs body, configuration or responses}"
    shift 2
fi
mode="${1:-600}"

product_of() {
    case "$1" in
    body) echo SpecSyncFuzz ;;
    configuration) echo SpecSyncFuzzConfiguration ;;
    responses) echo SpecSyncFuzzResponses ;;
    *) echo "unknown target '$1': body, configuration or responses" >&2; exit 2 ;;
    esac
}
corpus_of() {
    case "$1" in
    body) echo "$here/corpus" ;;
    *) echo "$here/corpus-$1" ;;
    esac
}
dict_of() {
    case "$1" in
    configuration) echo "$here/yaml.dict" ;;
    *) echo "$here/json.dict" ;;
    esac
}

# One combined -sanitize flag for swiftc: SwiftPM's `--sanitize fuzzer --sanitize address` passes two
# flags in an order that changes from run to run, swiftc keeps only the last, and so each build got
# either coverage or AddressSanitizer (and rebuilt everything whenever the order flipped). The C
# dependencies (BoringSSL, libyaml) are not instrumented: they are not what is fuzzed. lld, because
# gold stops with "internal error in format_file_lineno" on this link.
build_flags=(--package-path "$here" -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
fuzzer_of() {
    local product
    product=$(product_of "$1")
    echo "building the $1 fuzz target (sanitizers: fuzzer, address)…" >&2
    swift build "${build_flags[@]}" --product "$product" 2>&1 \
        | grep -Ev '^(warning: |ld\.gold: warning|/usr/bin/ld\.gold: warning)' | tail -3 >&2
    echo "$(swift build "${build_flags[@]}" --product "$product" --show-bin-path)/$product"
}

# Swift's own crash backtracer reads memory that AddressSanitizer guards and buries the real report.
export SWIFT_BACKTRACE=enable=no
mkdir -p "$here/artifacts"
options_of() {
    echo -artifact_prefix="$here/artifacts/" -dict="$(dict_of "$1")" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
}

case "$mode" in
--replay)
    # -runs=0 after loading: every corpus file is executed exactly once.
    for t in ${target:-body configuration}; do
        fuzzer=$(fuzzer_of "$t")
        # shellcheck disable=SC2046
        "$fuzzer" $(options_of "$t") -runs=0 "$(corpus_of "$t")"
    done
    ;;
--merge)
    t=${target:-body}
    fuzzer=$(fuzzer_of "$t")
    # The smallest set of inputs that keeps every feature, rather than every input that adds one.
    # shellcheck disable=SC2046
    exec "$fuzzer" $(options_of "$t") -set_cover_merge=1 "$(corpus_of "$t")" "$here/.build/work-$t"
    ;;
*[!0-9]*)
    echo "usage: $0 [--target body|configuration|responses] [SECONDS | --replay | --merge]" >&2
    exit 2
    ;;
*)
    t=${target:-body}
    fuzzer=$(fuzzer_of "$t")
    mkdir -p "$here/.build/work-$t"
    # shellcheck disable=SC2046
    exec "$fuzzer" $(options_of "$t") -max_total_time="$mode" "$here/.build/work-$t" "$(corpus_of "$t")"
    ;;
esac
