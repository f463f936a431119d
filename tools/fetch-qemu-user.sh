#!/usr/bin/env bash
# Fetches the reference for current QEMU's user mode: Debian trixie's amd64
# qemu-user package (QEMU 10.0, statically linked, so it runs on a bookworm
# host as it is), and extracts its qemu-riscv64 to .cache/qemu-user/.
# That build has no plugin support; tests use its `-one-insn-per-tb -d
# exec,nochain` PC traces and `-strace`.
#
# Only that one package is downloaded (no dependencies: the binary is
# static) and unpacked with `dpkg-deb -x`; the host's apt state is untouched.
#
# Usage: tools/fetch-qemu-user.sh        (no-op when already there)
# Env:   DEBIAN_MIRROR=<uri>   use this archive instead of the host's one
#        FORCE=1               fetch again
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE="$ROOT/.cache/qemu-user"
OUT="$CACHE/qemu-riscv64"
APTDIR="$CACHE/apt"
SUITE=trixie
ARCH=amd64
TOOL=fetch-qemu-user

# shellcheck source=lib/private-apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/private-apt.sh"

if [[ "${FORCE:-}" != 1 && -x "$OUT" ]]; then
  echo "$TOOL: $("$OUT" -version | head -n 1) ($OUT)"
  exit 0
fi
[[ $(uname -m) == x86_64 ]] || die "the reference qemu-riscv64 is an amd64 binary; this host is $(uname -m)"

private_apt_setup
rm -f "$APTDIR"/cache/archives/qemu-user_*.deb
(cd "$APTDIR/cache/archives" && apt_private -q download qemu-user) ||
  die "downloading qemu-user ($SUITE, $ARCH) from $MIRROR failed"
deb=$(ls "$APTDIR"/cache/archives/qemu-user_*.deb)
tmp="$CACHE/unpack.tmp"
rm -rf "$tmp"
dpkg-deb -x "$deb" "$tmp" || die "dpkg-deb -x $(basename "$deb") failed"
[[ -x "$tmp/usr/bin/qemu-riscv64" ]] || die "$(basename "$deb") holds no usr/bin/qemu-riscv64"
mv "$tmp/usr/bin/qemu-riscv64" "$OUT.tmp"
rm -rf "$tmp"
"$OUT.tmp" -version >/dev/null || die "the extracted qemu-riscv64 does not run on this host"
mv "$OUT.tmp" "$OUT"
echo "$TOOL: $("$OUT" -version | head -n 1) ($OUT)"
