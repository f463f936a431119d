#!/usr/bin/env bash
# Builds rvscope's riscv64 vDSO (src/linux-user/vdso/vdso.S with vdso.ld)
# with the riscv64-linux-gnu cross toolchain, then writes the image and
# what the loader needs to know of it into src/linux-user/vdso/image.ts
# (tools/gen-vdso.js). image.ts is committed: run this only after changing
# vdso.S or vdso.ld. The linked file stays in .cache/vdso/ for readelf.
# CROSS_PREFIX selects another toolchain prefix.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
src=$root/src/linux-user/vdso
out=$root/.cache/vdso
prefix=${CROSS_PREFIX:-riscv64-linux-gnu-}
mkdir -p "$out"

# As Linux builds its vDSO: no libraries, no start files, position
# independent, both hash styles (glibc reads either), soname linux-vdso.so.1.
"${prefix}gcc" -o "$out/vdso.so" -nostdlib -shared -fpic -mabi=lp64d -march=rv64g \
  -Wl,-h,linux-vdso.so.1 -Wl,--build-id=sha1 -Wl,--hash-style=both \
  -Wl,--no-warn-rwx-segments -Wl,-T,"$src/vdso.ld" "$src/vdso.S"
node "$root/tools/gen-vdso.js" "$out/vdso.so" "$src/image.ts"
