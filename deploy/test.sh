#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, builds everything (the CLI tests run the real
# binary), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-dependencies.sh
swift build --build-tests
swift test --skip-build "$@"
