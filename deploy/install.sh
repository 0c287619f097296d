#!/usr/bin/env bash
# Installs specsync as a systemd service on Debian 12. Run it as root from a clone of the repository;
# run it again to upgrade (see deploy/UPGRADING.md). Safe to repeat: it never overwrites a
# configuration or a secret, and never enables or starts the service.
#
#   deploy/install.sh                      build the Debian package (deploy/package.sh) and install it
#   deploy/install.sh --binary PATH        package and install a binary built elsewhere instead
#   deploy/install.sh --deb FILE           install a package built before (deploy/package.sh)
#   deploy/install.sh --root DIR           lay the files out by hand under DIR, without dpkg (an image
#                                          root, or a test); never calls systemctl, needs no root
#   deploy/install.sh --prefix DIR         with --root: the binary goes to DIR/bin (default /usr/local)
#
# DESTDIR=DIR in the environment is the same as --root DIR.
#
# Through the package (apt installs its Depends:), files are dpkg's: /usr/bin/specsync, the unit
# /lib/systemd/system/specsync.service, /etc/specsync/specsync.yaml (a conffile: kept when you
# changed it, the new default beside it as specsync.yaml.dpkg-dist), /etc/specsync/credentials/
# (0700), manual pages and completions. A previous by-hand installation's /usr/local/bin/specsync
# and /etc/systemd/system/specsync.service (which would hide the package's) are moved aside first.
#
# What --root lays out (under DIR):
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

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

root="${DESTDIR:-}"
binary=""
deb=""
prefix="/usr/local"
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --root=*) root="${1#--root=}"; shift ;;
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --binary=*) binary="${1#--binary=}"; shift ;;
    --deb) deb="${2:?--deb needs a file}"; shift 2 ;;
    --deb=*) deb="${1#--deb=}"; shift ;;
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

# --- through the Debian package -------------------------------------------------------------------
if [ -z "$root" ]; then
  [ "$prefix" = "/usr/local" ] || { echo "install.sh: --prefix applies to --root only; the package installs /usr/bin/specsync" >&2; exit 2; }
  if [ -z "$deb" ]; then
    echo "Installing build dependencies ..." >&2
    bash "$source_dir/deploy/install-dependencies.sh"
    package_arguments=()
    [ -n "$binary" ] && package_arguments+=(--binary "$binary")
    deb="$(bash "$source_dir/deploy/package.sh" "${package_arguments[@]}")"
  fi
  [ -f "$deb" ] || { echo "install.sh: '$deb' is not a file" >&2; exit 1; }
  deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
  # A by-hand installation (install.sh before the package) would shadow the package's files: its unit
  # in /etc/systemd/system wins over /lib/systemd/system, its binary in /usr/local/bin over /usr/bin.
  old_unit=/etc/systemd/system/specsync.service
  was_enabled=no
  if [ -f "$old_unit" ] && ! dpkg -S "$old_unit" >/dev/null 2>&1 && grep -q '^# specsync: keeps connector specifications' "$old_unit"; then
    [ -L /etc/systemd/system/multi-user.target.wants/specsync.service ] && was_enabled=yes
    mv -f "$old_unit" "$old_unit.before-package"
    rm -f /etc/systemd/system/multi-user.target.wants/specsync.service
    echo "moved the by-hand unit aside: $old_unit.before-package (drop-ins in $old_unit.d still apply)" >&2
  fi
  if [ -f /usr/local/bin/specsync ] && ! dpkg -S /usr/local/bin/specsync >/dev/null 2>&1; then
    mv -f /usr/local/bin/specsync /usr/local/bin/specsync.before-package
    echo "moved the by-hand binary aside: /usr/local/bin/specsync.before-package" >&2
  fi
  # Keep a configuration the operator changed (the new default goes beside it as .dpkg-dist).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$deb"
  if [ "$was_enabled" = yes ] && [ -d /run/systemd/system ]; then
    systemctl reenable specsync.service   # it was enabled before: keep it so, now from the package's unit
  fi
  cat <<NEXT

specsync is installed from $(basename "$deb"); the service is neither enabled nor started. Next steps:
  1. Edit /etc/specsync/specsync.yaml (man specsync, and the comments in the file): the target's
     orgId, sandbox and clientId, and the repository (repository.url is easiest: the service keeps
     its clone in /var/lib/specsync).
  2. Put the IMS client secret in /etc/specsync/credentials/ims-client-secret (mode 0600), and the
     optional webhook-secret and git-token beside it (see /etc/specsync/credentials/README).
  3. Check it:   sudo CREDENTIALS_DIRECTORY=/etc/specsync/credentials specsync check --config /etc/specsync/specsync.yaml
  4. Start it:   systemctl enable --now specsync
     Follow it:  journalctl -u specsync -f        Reload config:  systemctl reload specsync
NEXT
  exit 0
fi
[ -z "$deb" ] || { echo "install.sh: --deb installs through dpkg; it does not go with --root" >&2; exit 2; }
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
trap 'rm -f "$unit_source"' EXIT
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
install_atomically "$source_dir/deploy/credentials-README" "$root$config_dir/credentials/README" 0644

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
  3. Check it:   CREDENTIALS_DIRECTORY=$config_dir/credentials specsync check --config $config_dir/specsync.yaml
  4. Start it:   systemctl enable --now specsync
     Follow it:  journalctl -u specsync -f        Reload config:  systemctl reload specsync
NEXT
