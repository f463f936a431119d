#!/bin/sh
# Rebuilds tests/fpu/vectors.txt.gz: compiles gen-vectors.c for RV64GC and runs it
# under user-mode QEMU, whose softfloat implements the RISC-V F/D semantics.
# Requires riscv64-linux-gnu-gcc and qemu-riscv64 on PATH.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
riscv64-linux-gnu-gcc -O1 -static -Wall -Wno-unused-parameter -o "$tmp/gen-vectors" "$here/gen-vectors.c"
qemu-riscv64 "$tmp/gen-vectors" > "$tmp/vectors.txt"
gzip -9n < "$tmp/vectors.txt" > "$here/vectors.txt.gz"
echo "$(wc -l < "$tmp/vectors.txt") vectors, $(wc -c < "$here/vectors.txt.gz") bytes compressed"
