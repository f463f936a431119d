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
TOOL=fetch-debian-riscv64

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

# shellcheck source=lib/private-apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/private-apt.sh"

# The stamp records the requested set (plus suite/arch); the sysroot is only
# considered complete when it matches exactly.
want_stamp="suite=$SUITE arch=$ARCH packages=${PACKAGES[*]}"
if [[ "${FORCE:-}" != 1 && -d "$SYSROOT" && -f "$STAMP" ]] &&
  [[ "$(head -n 1 "$STAMP")" == "$want_stamp" ]]; then
  echo "fetch-debian-riscv64: sysroot up to date ($SYSROOT)"
  exit 0
fi

private_apt_setup

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
