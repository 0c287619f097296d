#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, builds everything (the CLI tests run the real
# binary), then runs every test. Without arguments it also replays the fuzz corpus through the
# libFuzzer target with AddressSanitizer (Linux, where the toolchain ships libFuzzer); `swift test`
# replays the same corpus without sanitizers either way.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-dependencies.sh
swift build --build-tests
swift test --skip-build "$@"
if [[ $# -eq 0 && "$(uname -s)" == Linux ]]; then
    bash Fuzz/run.sh --replay
fi
