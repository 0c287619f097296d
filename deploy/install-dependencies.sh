#!/usr/bin/env bash
# Installs the system packages specsync builds and tests with (Debian 12): libgit2-dev for the git
# wrapper, libyaml-dev for the configuration's YAML parser, git for the tests' repositories,
# pkg-config to find both, ca-certificates for https, systemd for `systemd-analyze verify` of the
# unit; and any packages named as arguments (the benchmarks add hyperfine, time and python3). Does
# nothing when they are all present.
set -euo pipefail

packages=(libgit2-dev libyaml-dev git pkg-config ca-certificates systemd "$@")
packages+=(python3)  # hostile-network tests: Tests/HostileServer/hostile_server.py, the misbehaving IMS/API server
packages+=(openssh-server openssh-client nginx-light fcgiwrap openssl)  # remote-repository tests: sshd, nginx + git-http-backend over TLS, a test CA
packages+=(libpq-dev postgresql)  # the PostgreSQL state backend: libpq to build Sources/CLibpq, a throwaway server (initdb, pg_ctl) for its tests
packages+=(dpkg-dev lintian man-db bsdextrautils)  # the Debian package: deploy/package.sh (dpkg-deb, dpkg-shlibdeps, strip), lintian, man -l and col in its test
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
  echo "specsync needs these Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "Installing ${missing[*]} ..." >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
