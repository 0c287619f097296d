#!/usr/bin/env bash
# Builds the Debian package of specsync (Debian 12) and prints the path of the .deb it wrote.
#
#   deploy/package.sh                        release build, manual pages, completions, .deb, lintian
#   deploy/package.sh --version 0.1.0-2      the package version (default: deploy/debian/changelog's
#                                            first entry; another version gets an entry of its own)
#   deploy/package.sh --binary PATH          package a binary built elsewhere instead of building one
#   deploy/package.sh --config FILE          ship FILE as /etc/specsync/specsync.yaml (a conffile;
#                                            default: Config/specsync.yaml, the documented example)
#   deploy/package.sh --output DIR           where the .deb goes (default: .build/debian)
#   deploy/package.sh --scratch-path DIR     SwiftPM's build folder (default: .build)
#   deploy/package.sh --no-lintian           skip lintian (it runs by default and must pass)
#
# The binary links the Swift runtime statically (--static-swift-stdlib), so the package depends only
# on Debian's libraries; Depends: is computed from the binary by dpkg-shlibdeps. The manual pages
# (specsync(1), one per subcommand) come from swift-argument-parser's generate-manual tool and the
# completions from `specsync --generate-completion-script`, both run on the binary being packaged,
# so they always describe exactly its options. Needs dpkg-dev and lintian
# (deploy/install-dependencies.sh installs them); no root privileges.
set -euo pipefail
umask 022

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=""
binary=""
config="$source_dir/Config/specsync.yaml"
output="$source_dir/.build/debian"
scratch="$source_dir/.build"
lintian=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:?--version needs a version}"; shift 2 ;;
    --version=*) version="${1#--version=}"; shift ;;
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --binary=*) binary="${1#--binary=}"; shift ;;
    --config) config="${2:?--config needs a file}"; shift 2 ;;
    --config=*) config="${1#--config=}"; shift ;;
    --output) output="${2:?--output needs a directory}"; shift 2 ;;
    --output=*) output="${1#--output=}"; shift ;;
    --scratch-path) scratch="${2:?--scratch-path needs a directory}"; shift 2 ;;
    --scratch-path=*) scratch="${1#--scratch-path=}"; shift ;;
    --no-lintian) lintian=no; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "package.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for tool in dpkg-deb dpkg-shlibdeps dpkg-parsechangelog strip gzip; do
  command -v "$tool" >/dev/null || { echo "package.sh: $tool is missing; run deploy/install-dependencies.sh" >&2; exit 1; }
done
debian="$source_dir/deploy/debian"
changelog_version="$(dpkg-parsechangelog -l "$debian/changelog" -S Version)"
version="${version:-$changelog_version}"
case "$version" in *-*) ;; *) echo "package.sh: '$version' needs a Debian revision, e.g. $version-1" >&2; exit 2 ;; esac
# Every date in the package is the changelog's, so two builds of one version are the same bytes.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(dpkg-parsechangelog -l "$debian/changelog" -S Timestamp)}"
arch="$(dpkg --print-architecture)"
mkdir -p "$output" "$scratch"
output="$(cd "$output" && pwd)"

swift_build() { (cd "$source_dir" && swift build -c release --scratch-path "$scratch" "$@"); }

# --- the manual tool and the binary ---------------------------------------------------------------
# swift-argument-parser ships generate-manual as a command plugin, not a product: the plugin builds it
# (with every product of the package, in release) once; later runs reuse the tool it built.
find_manual_tool() { find "$scratch" -name generate-manual-tool -type f -perm -u+x 2>/dev/null | head -n 1; }
generate_manual="$(find_manual_tool)"
if [ -z "$generate_manual" ]; then
  echo "Building swift-argument-parser's generate-manual (the plugin builds the package in release) ..." >&2
  (cd "$source_dir" && swift package --scratch-path "$scratch" --disable-sandbox generate-manual --configuration release) >&2
  generate_manual="$(find_manual_tool)"
  [ -n "$generate_manual" ] || { echo "package.sh: the generate-manual plugin left no tool under $scratch" >&2; exit 1; }
fi
if [ -z "$binary" ]; then
  echo "Building specsync (release, Swift runtime linked statically) ..." >&2
  # Swift 6.3's static FoundationEssentials does not name the two static libraries it needs itself.
  # Full RELRO and immediate binding, as Debian builds its binaries (lintian: hardening-no-bindnow);
  # lazy binding measured no faster at start-up (BENCHMARKS.md). deploy/specsync.exports keeps the
  # statically linked runtime's symbols out of the dynamic symbol table: ~0.5 ms of each start.
  swift_build --product specsync --static-swift-stdlib -Xlinker -l_FoundationCollections -Xlinker -l_FoundationCShims \
    -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now -Xlinker "--version-script=$source_dir/deploy/specsync.exports" >&2
  binary="$(swift_build --show-bin-path)/specsync"
fi
[ -f "$binary" ] && [ -x "$binary" ] || { echo "package.sh: '$binary' is not an executable file" >&2; exit 1; }

# --- the tree -------------------------------------------------------------------------------------
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/specsync_${version}_$arch"
install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/specsync" \
  "$root/usr/share/man/man1" "$root/usr/share/doc/specsync" "$root/usr/share/lintian/overrides" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d"
install -d -m 0700 "$root/etc/specsync/credentials"

# As dh_strip does for executables: the symbols go, Swift's metadata sections stay.
strip --remove-section=.comment --remove-section=.note -o "$root/usr/bin/specsync" "$binary"
chmod 0755 "$root/usr/bin/specsync"
sed -e "s#^ExecStart=/usr/local/bin/specsync #ExecStart=/usr/bin/specsync #" \
    -e "s#^\# Installed by deploy/install.sh as /etc/systemd/system/specsync.service.#\# Installed by the specsync package as /lib/systemd/system/specsync.service.#" \
    "$source_dir/deploy/specsync.service" > "$root/lib/systemd/system/specsync.service"
install -m 0644 "$config" "$root/etc/specsync/specsync.yaml"
install -m 0644 "$source_dir/deploy/credentials-README" "$root/etc/specsync/credentials/README"

# Generated from the binary's own command definitions.
manual="$work/manual"
mkdir "$manual"
"$generate_manual" "$root/usr/bin/specsync" --multi-page --section 1 --output-directory "$manual" \
  --date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)" \
  --authors "specsync maintainers<maintainers@users.noreply.h-seed-d1f0554e.example>" >&2
# Two touches so that man and whatis read them cleanly: a blank line (a paragraph break man warns
# about) becomes .Pp, and a subcommand's NAME is its page's name (specsync.plan: lexgrog cannot
# parse a quoted "specsync plan" there), while its SYNOPSIS keeps "specsync plan".
for page in "$manual"/*.1; do
  awk '
    /^\.Sh NAME$/ { in_name = 1; print; next }
    /^\.Sh / { in_name = 0 }
    in_name && /^\.Nm "/ { name = substr($0, 6); gsub(/"/, "", name); page = name; gsub(/ /, ".", page); print ".Nm " page; next }
    /^\.Nm$/ && name != "" { print ".Nm \"" name "\""; next }
    /^$/ { print ".Pp"; next }
    { print }
  ' "$page" | gzip -9n > "$root/usr/share/man/man1/$(basename "$page").gz"
done
# bash-completion sources its files: a #! line there means nothing (lintian: bash-completion-with-hashbang).
"$root/usr/bin/specsync" --generate-completion-script bash | sed '1{/^#!/d}' > "$root/usr/share/bash-completion/completions/specsync"
"$root/usr/bin/specsync" --generate-completion-script zsh > "$root/usr/share/zsh/vendor-completions/_specsync"
"$root/usr/bin/specsync" --generate-completion-script fish > "$root/usr/share/fish/vendor_completions.d/specsync.fish"

install -m 0644 "$debian/copyright" "$root/usr/share/doc/specsync/copyright"
install -m 0644 "$debian/lintian-overrides" "$root/usr/share/lintian/overrides/specsync"
changelog="$work/changelog"
if [ "$version" != "$changelog_version" ]; then
  # A version of its own (a test's, a local rebuild) gets an entry on top, as dch would write it.
  {
    printf 'specsync (%s) bookworm; urgency=medium\n\n  * Built by deploy/package.sh --version %s.\n\n' "$version" "$version"
    # Dated now: an entry on top must be newer than the one below it (lintian).
    printf ' -- specsync maintainers <maintainers@users.noreply.h-seed-d1f0554e.example>  %s\n\n' "$(date -u -R)"
  } > "$changelog"
fi
cat "$debian/changelog" >> "$changelog"
gzip -9n < "$changelog" > "$root/usr/share/doc/specsync/changelog.Debian.gz"
find "$root/usr/share" -type f -exec chmod 0644 {} +

# --- control files --------------------------------------------------------------------------------
install -m 0755 "$debian/postinst" "$debian/prerm" "$debian/postrm" "$root/DEBIAN/"
printf '/etc/specsync/specsync.yaml\n/etc/specsync/credentials/README\n' > "$root/DEBIAN/conffiles"
# dpkg-shlibdeps reads the package's name from a debian/control beside it.
mkdir "$work/debian"
printf 'Source: specsync\n\nPackage: specsync\nArchitecture: any\n' > "$work/debian/control"
shlibs="$(cd "$work" && dpkg-shlibdeps -O -e "$root/usr/bin/specsync" | sed -n 's/^shlibs:Depends=//p')"
case "$shlibs" in
  *libswift*|*libFoundation*|"") echo "package.sh: unexpected library dependencies: '$shlibs'" >&2; exit 1 ;;
esac
# Packed relocations need the loader of glibc 2.36 (GLIBC_ABI_DT_RELR), which the libc6 symbols
# file does not list: say so, or an older libc6 would be accepted and refuse to start specsync.
if readelf -V "$root/usr/bin/specsync" | grep -q 'Name: GLIBC_ABI_DT_RELR'; then
  shlibs="$(printf '%s' "$shlibs" | sed -E 's/libc6 \(>= 2\.(3[0-5]|[12][0-9])\)/libc6 (>= 2.36)/')"
fi
# libgit2 speaks https through mbedTLS, which needs the CA certificates.
depends="$shlibs, ca-certificates"
# libpq5 is dlopen'ed only for state.backend: postgres, so dpkg-shlibdeps cannot see it; it is a
# Recommends (control.in), which apt installs by default, not a Depends: a host on the state file
# may leave it out (--no-install-recommends), and specsync then names the package if asked for postgres.
installed_size="$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  "$debian/control.in" > "$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's#^\./##' | LC_ALL=C sort | xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"
find "$root" -newermt "@$SOURCE_DATE_EPOCH" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

deb="$output/specsync_${version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >&2

if [ "$lintian" = yes ]; then
  command -v lintian >/dev/null || { echo "package.sh: lintian is missing; run deploy/install-dependencies.sh, or pass --no-lintian" >&2; exit 1; }
  # Errors and warnings fail the build; deploy/debian/lintian-overrides explains each accepted tag.
  lintian --fail-on error,warning --display-info "$deb" >&2
fi
echo "$deb"
