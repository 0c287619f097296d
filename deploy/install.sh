#!/usr/bin/env bash
# Installs specsync as a systemd service on Debian 12. Run it as root from a clone of the repository;
# run it again to upgrade (see deploy/UPGRADING.md). Safe to repeat: it never overwrites a
# configuration or a secret, and replaces the binary and the unit atomically.
#
#   deploy/install.sh                      build, install, daemon-reload
#   deploy/install.sh --binary PATH        install a binary built elsewhere instead of building
#   deploy/install.sh --root DIR           install under DIR (a package or image root, or a test);
#                                          never calls systemctl and needs no root privileges
#   deploy/install.sh --prefix DIR         the binary goes to DIR/bin (default /usr/local)
#
# DESTDIR=DIR in the environment is the same as --root DIR.
#
# What it lays out (under the root):
#   /usr/local/bin/specsync                      0755  the binary
#   /etc/systemd/system/specsync.service         0644  the unit (deploy/specsync.service)
#   /etc/specsync/                               0755
#   /etc/specsync/specsync.yaml                  0644  Config/specsync.yaml, only when absent
#   /etc/specsync/specsync.yaml.example          0644  the current documented example, always refreshed
#   /etc/specsync/credentials/                   0700  secrets, read by systemd only (LoadCredential=)
#   /etc/specsync/credentials/README             0644  which files go there
set -euo pipefail
# Folders made on the way (under --root) get ordinary modes whatever the caller's umask.
umask 022

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

root="${DESTDIR:-}"
binary=""
prefix="/usr/local"
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --root=*) root="${1#--root=}"; shift ;;
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --binary=*) binary="${1#--binary=}"; shift ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$prefix" in /*) ;; *) echo "install.sh: --prefix must be an absolute path, not '$prefix'" >&2; exit 2 ;; esac
prefix="${prefix%/}"
root="${root%/}"
if [ -n "$root" ]; then
  mkdir -p "$root"
  root="$(cd "$root" && pwd)"
elif [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (sudo $0), or use --root DIR to install into a directory" >&2
  exit 1
fi

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_path="$prefix/bin/specsync"
unit_path="/etc/systemd/system/specsync.service"
config_dir="/etc/specsync"

# Copies a file into place atomically: a temporary file in the destination folder, then a rename, so
# a running service, a reader or a crash never sees half a file.
install_atomically() { # source destination mode
  local source="$1" destination="$2" mode="$3" temporary
  temporary="$(mktemp "$(dirname "$destination")/.$(basename "$destination").XXXXXX")"
  if ! { cat "$source" > "$temporary" && chmod "$mode" "$temporary" && mv -f "$temporary" "$destination"; }; then
    rm -f "$temporary"
    return 1
  fi
}

# --- the binary -----------------------------------------------------------------------------------
if [ -z "$binary" ]; then
  echo "Installing build dependencies ..." >&2
  bash "$source_dir/deploy/install-dependencies.sh"
  echo "Building specsync (release) ..." >&2
  (cd "$source_dir" && swift build -c release --product specsync)
  binary="$(cd "$source_dir" && swift build -c release --show-bin-path)/specsync"
fi
if [ ! -f "$binary" ] || [ ! -x "$binary" ]; then
  echo "install.sh: '$binary' is not an executable file" >&2
  exit 1
fi
install -d -m 0755 "$root$prefix/bin"
install_atomically "$binary" "$root$bin_path" 0755
echo "installed $root$bin_path" >&2

# --- the unit -------------------------------------------------------------------------------------
install -d -m 0755 "$root/etc/systemd/system"
unit_source="$(mktemp)"
readme="$(mktemp)"
trap 'rm -f "$unit_source" "$readme"' EXIT
sed "s#^ExecStart=/usr/local/bin/specsync #ExecStart=$bin_path #" "$source_dir/deploy/specsync.service" > "$unit_source"
install_atomically "$unit_source" "$root$unit_path" 0644
echo "installed $root$unit_path" >&2

# --- configuration and credentials ----------------------------------------------------------------
install -d -m 0755 "$root$config_dir"
install_atomically "$source_dir/Config/specsync.yaml" "$root$config_dir/specsync.yaml.example" 0644
if [ -e "$root$config_dir/specsync.yaml" ] || [ -L "$root$config_dir/specsync.yaml" ]; then
  echo "kept the existing $root$config_dir/specsync.yaml (compare with specsync.yaml.example)" >&2
else
  install_atomically "$source_dir/Config/specsync.yaml" "$root$config_dir/specsync.yaml" 0644
  echo "installed $root$config_dir/specsync.yaml" >&2
fi
# 0700 even if it existed: systemd (root) reads these files for LoadCredential=, nobody else may.
install -d -m 0700 "$root$config_dir/credentials"
chmod 0700 "$root$config_dir/credentials"
cat > "$readme" <<'README'
Secrets for specsync.service. systemd reads these files when the service starts (LoadCredential= in
/etc/systemd/system/specsync.service) and hands the service private copies in $CREDENTIALS_DIRECTORY;
the service itself cannot read this folder. Keep the folder 0700 and the files 0600, owned by root.
One secret per file, as plain text (a trailing newline is ignored):

  ims-client-secret   required: the Adobe Developer Console OAuth Server-to-Server client secret,
                      named in specsync.yaml as  clientSecret: {credential: ims-client-secret}
  webhook-secret      optional: the shared secret that signs git webhook deliveries
  git-token           optional: a token for fetching the git repository over https

A missing optional file is fine (the unit gives a blank default); after adding or changing one,
run: systemctl restart specsync

Example:
  install -m 0600 /dev/null /etc/specsync/credentials/ims-client-secret
  editor /etc/specsync/credentials/ims-client-secret
README
install_atomically "$readme" "$root$config_dir/credentials/README" 0644

# --- systemd --------------------------------------------------------------------------------------
if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  echo "reloaded systemd's unit files" >&2
fi

cat <<NEXT

specsync is installed. Next steps:
  1. Edit $config_dir/specsync.yaml: the target's orgId, sandbox and clientId, and the repository.
     The service can write only its state directory, /var/lib/specsync (the unit points
     SPECSYNC_STATE_DIRECTORY there). Easiest: set repository.url and drop repository.path, and
     specsync keeps its own clone there. A clone of your own must live there too; make it before
     the first start (systemd then hands the folder to the service's user), or later, with the
     service stopped: chown -R --reference=/var/lib/private/specsync /var/lib/private/specsync/*
  2. Put the IMS client secret in $config_dir/credentials/ims-client-secret (mode 0600), and the
     optional webhook-secret and git-token beside it (see $config_dir/credentials/README).
  3. Check it:   specsync validate --config $config_dir/specsync.yaml
  4. Start it:   systemctl enable --now specsync
     Follow it:  journalctl -u specsync -f        Reload config:  systemctl reload specsync
NEXT
