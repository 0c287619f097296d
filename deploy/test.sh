#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, builds everything (the CLI tests run the real
# binary), then runs every test. Without arguments it also replays the fuzz corpus through the
# libFuzzer target with AddressSanitizer (Linux, where the toolchain ships libFuzzer); `swift test`
# replays the same corpus without sanitizers either way. With SPECSYNC_PACKAGE_TEST=1 it then runs
# the Debian package test on its own: a release build of every product (tens of minutes on two
# cores), so it is a long-run check, not part of every CI run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-dependencies.sh
swift build --build-tests
swift test --skip-build "$@"
if [[ $# -eq 0 && "${SPECSYNC_PACKAGE_TEST:-}" == 1 ]]; then
    # The Debian package end to end (a release build, dpkg in a throwaway root, lintian), alone:
    # beside the other suites its build would starve the ones that wait for daemons.
    swift test --skip-build --filter DebianPackageTests
fi
if [[ $# -eq 0 && "$(uname -s)" == Linux ]]; then
    bash Tests/Fuzz/run.sh --replay
fi
