#!/usr/bin/env bash
# Fetches real Debian trixie riscv64 programs (busybox, lua, coreutils,
# sqlite3, xz, python3 and the shared libraries they need) and unpacks them
# into a sysroot under .cache/debian-riscv64/sysroot, for tests/debian.
#
# apt runs with a private state, cache, sources list and configuration, so the
# host's package database, lists and archives are never read or written.
# Packages are unpacked with `dpkg-deb -x` only: no maintainer scripts run.
#
# Usage: tools/fetch-debian-riscv64.sh        (no-op when already complete)
# Env:   DEBIAN_MIRROR=<uri>   use this archive instead of the host's one
#        FORCE=1               unpack again even if the stamp matches
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE="$ROOT/.cache/debian-riscv64"
SYSROOT="$CACHE/sysroot"
STAMP="$CACHE/sysroot.stamp"
APTDIR="$CACHE/apt"
SUITE=trixie
ARCH=riscv64
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# What the tests run; apt adds the libraries these depend on. dash gives the
# sysroot a /bin/sh, so system() and popen() in guest programs run riscv64 code.
PACKAGES=(
  busybox-static
  lua5.4 liblua5.4-0
  libc6 libgcc-s1 libstdc++6
  coreutils
  sqlite3 libsqlite3-0
  xz-utils liblzma5
  python3-minimal
  dash
)

die() {
  echo "fetch-debian-riscv64: error: $*" >&2
  exit 1
}

# The stamp records the requested set (plus suite/arch); the sysroot is only
# considered complete when it matches exactly.
want_stamp="suite=$SUITE arch=$ARCH packages=${PACKAGES[*]}"
if [[ "${FORCE:-}" != 1 && -d "$SYSROOT" && -f "$STAMP" ]] &&
  [[ "$(head -n 1 "$STAMP")" == "$want_stamp" ]]; then
  echo "fetch-debian-riscv64: sysroot up to date ($SYSROOT)"
  exit 0
fi

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null || die "'$tool' not found (needs a Debian-like host)"
done
[[ -r "$KEYRING" ]] || die "$KEYRING missing: install the debian-archive-keyring package"

# --- Which mirror ------------------------------------------------------------
# No archive host name is written down here: the main Debian archive is taken
# from the host's own apt sources, i.e. the entry whose suite is the host's
# release codename itself (not -updates, -security or -backports).
host_codename() {
  local c=""
  if [[ -r /etc/os-release ]]; then
    c=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  fi
  echo "$c"
}

# Prints "URI SUITE" for each enabled binary ("deb") source on the host.
host_sources() {
  local f
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    # deb822 stanzas are separated by blank lines; fields may repeat values.
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled !~ /^[Nn]o$/)
          for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) print u[i], s[j]
        types = ""; enabled = ""; nu = 0; ns = 0
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        key = tolower($1); sub(/:$/, "", key)
        if (key == "types") { $1 = ""; types = $0 " " }
        else if (key == "enabled") enabled = $2
        else if (key == "uris") for (i = 2; i <= NF; i++) u[++nu] = $i
        else if (key == "suites") for (i = 2; i <= NF; i++) s[++ns] = $i
      }
      END { flush() }
    ' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r "$f" ]] || continue
    # deb [options] URI SUITE COMPONENTS...
    awk '$1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if (i + 1 <= NF) print $i, $(i + 1)
    }' "$f"
  done
  shopt -u nullglob
}

find_mirror() {
  local codename uri suite
  codename=$(host_codename)
  local fallback=""
  while read -r uri suite; do
    [[ "$uri" == http://* || "$uri" == https://* ]] || continue
    if [[ -n "$codename" && "$suite" == "$codename" ]]; then
      echo "$uri"
      return 0
    fi
    # Without a known codename, accept a plain suite (no "-security" etc.)
    # from an archive that is not the security one.
    if [[ -z "$fallback" && "$suite" != *-* && "$uri" != *security* ]]; then
      fallback=$uri
    fi
  done < <(host_sources)
  [[ -n "$fallback" ]] && echo "$fallback"
  return 0
}

MIRROR=${DEBIAN_MIRROR:-$(find_mirror)}
MIRROR=${MIRROR%/}
[[ -n "$MIRROR" ]] ||
  die "cannot determine the Debian archive from /etc/apt (no deb source for the host's release); set DEBIAN_MIRROR=<archive uri>"
echo "fetch-debian-riscv64: archive $MIRROR, suite $SUITE, arch $ARCH"

# --- Private apt setup -------------------------------------------------------
mkdir -p "$APTDIR"/etc/preferences.d "$APTDIR"/state/lists/partial \
  "$APTDIR"/cache/archives/partial
# The trixie signing keys are part of the keyring package that bookworm hosts
# already carry, so the archive signature is verified as usual.
echo "deb [arch=$ARCH signed-by=$KEYRING] $MIRROR $SUITE main" >"$APTDIR/etc/sources.list"
# An empty dpkg status: apt then resolves the full dependency closure, as for
# an empty riscv64 system, without ever looking at the host's installed set.
: >"$APTDIR/state/status"
cat >"$APTDIR/etc/apt.conf" <<EOF
// Private apt configuration for fetch-debian-riscv64.sh (generated).
Dir::State "$APTDIR/state";
Dir::State::status "$APTDIR/state/status";
Dir::Cache "$APTDIR/cache";
Dir::Etc::SourceList "$APTDIR/etc/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$APTDIR/etc/preferences.d";
APT::Architecture "$ARCH";
#clear APT::Architectures;
APT::Architectures { "$ARCH"; };
APT::Install-Recommends "false";
APT::Install-Suggests "false";
// Nothing here is shared with the host's apt, so its locks are not needed.
Debug::NoLocking "true";
// The private directories belong to whoever runs this script; apt's download
// sandbox user could not write to them.
APT::Sandbox::User "root";
// The host's update hooks (PackageKit, AppStream) concern the host's lists.
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Post-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Invoke;
EOF
if [[ $(id -u) != 0 ]]; then
  sed -i '/^APT::Sandbox::User/d' "$APTDIR/etc/apt.conf"
fi

apt_private() {
  # The host's apt.conf.d still applies first (proxies, retries), then ours.
  apt-get -c "$APTDIR/etc/apt.conf" "$@"
}

echo "fetch-debian-riscv64: apt-get update (private lists)"
# --error-on=any: an unreachable archive is otherwise only a warning.
apt_private -q --error-on=any update || die "apt-get update against $MIRROR failed"

# Resolve the closure first, so the exact .deb files to unpack are known even
# when older downloads are still lying in the private cache.
plan=$(apt_private -q -s install "${PACKAGES[@]}") ||
  die "cannot resolve the package set for $ARCH: ${PACKAGES[*]}"
mapfile -t resolved < <(awk '$1 == "Inst" { v = $3; gsub(/[()]/, "", v); print $2 " " v }' <<<"$plan" | sort)
((${#resolved[@]} > 0)) || die "apt resolved no packages"

echo "fetch-debian-riscv64: downloading ${#resolved[@]} packages"
apt_private -q -y install --download-only "${PACKAGES[@]}" >/dev/null ||
  die "downloading the packages from $MIRROR failed"

debs=()
for entry in "${resolved[@]}"; do
  name=${entry%% *}
  name=${name%%:*}
  version=${entry#* }
  # apt stores epochs in file names as %3a.
  file="$APTDIR/cache/archives/${name}_${version//:/%3a}_"
  found=""
  for arch in "$ARCH" all; do
    [[ -f "$file$arch.deb" ]] && found="$file$arch.deb" && break
  done
  [[ -n "$found" ]] || die "downloaded file for $name $version not found in $APTDIR/cache/archives"
  debs+=("$found")
done

# --- Unpack ------------------------------------------------------------------
# Into a scratch directory first, so an interrupted run never leaves a sysroot
# that looks complete.
tmp="$SYSROOT.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
for deb in "${debs[@]}"; do
  dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb -x $(basename "$deb") failed"
done

# Trixie is merged-/usr: packages ship under usr/ and the /bin, /lib, /sbin
# aliases normally come from the installer, which is not run here. The
# dynamic loader is looked up as /lib/ld-linux-riscv64-lp64d.so.1.
for d in bin sbin lib lib64; do
  [[ -e "$tmp/usr/$d" ]] || continue
  if [[ -d "$tmp/$d" && ! -L "$tmp/$d" ]]; then
    cp -a "$tmp/$d/." "$tmp/usr/$d/"
    rm -rf "${tmp:?}/$d"
  fi
  [[ -e "$tmp/$d" ]] || ln -s "usr/$d" "$tmp/$d"
done

rm -rf "$SYSROOT"
mv "$tmp" "$SYSROOT"
{
  echo "$want_stamp"
  printf '%s\n' "${resolved[@]}"
} >"$STAMP"
echo "fetch-debian-riscv64: unpacked ${#debs[@]} packages into $SYSROOT"
