#!/usr/bin/env bash
# build.sh: compiles the guest test programs in src/ into bin/ with the
# riscv64-linux-gnu cross toolchain.  The binaries are committed, so the
# tests themselves never need a cross compiler; run this only after
# changing a source file, then refresh the expected outputs with
# `node tools/accept-guest.js NAME…` (see tests/guest/cases.ts).
#
# Everything is static and stripped except the *-dyn variants, which load
# libc from the cross sysroot at run time (qemu-riscv64 -L <sysroot>).
# CROSS_PREFIX selects another toolchain prefix if needed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$here/src
out=$here/bin
prefix=${CROSS_PREFIX:-riscv64-linux-gnu-}
CC=${prefix}gcc
CXX=${prefix}g++

# -ffile-prefix-map keeps the build directory out of the binaries so that
# rebuilding elsewhere gives identical files.
common=(-O2 -Wall -ffile-prefix-map="$here"=.)
static=(-static -s)
asm=(-nostdlib -static -no-pie -s -I"$src/asm")

mkdir -p "$out"

c_programs=(hello args exit42 malloc strings libm intarith setjmp files procs
	exec threads signals mmap sys segv stdin jit vdso)
for p in "${c_programs[@]}"; do
	"$CC" "${common[@]}" "${static[@]}" -o "$out/$p" "$src/c/$p.c" -lm -pthread
done

for p in cxx cxx-thread; do
	"$CXX" -std=c++17 "${common[@]}" "${static[@]}" -o "$out/$p" "$src/cxx/$p.cc" -pthread
done

# For the plugin tests: symbols and frame pointers kept, every call a jal.
"$CC" "${common[@]}" -static -fno-omit-frame-pointer -fno-optimize-sibling-calls -o "$out/calls" "$src/c/calls.c"

# Dynamically linked variants of three programs: the same code, but run
# through ld.so, shared libc/libstdc++ and dynamic TLS.
"$CC" "${common[@]}" -s -o "$out/hello-dyn" "$src/c/hello.c"
"$CC" "${common[@]}" -s -o "$out/threads-dyn" "$src/c/threads.c" -pthread
"$CXX" -std=c++17 "${common[@]}" -s -o "$out/cxx-dyn" "$src/cxx/cxx.cc"

# Assembly programs: no libc, raw system calls.
for p in hello rv64i rvc mext aext fpu smc illegal; do
	"$CC" "${asm[@]}" -o "$out/asm-$p" "$src/asm/$p.S"
done
"$CC" "${asm[@]}" -march=rv64gc_zba_zbb_zbc_zbs -o "$out/asm-zbx" "$src/asm/zbx.S"
# Zicond is emitted with .insn, so the default -march is enough.
"$CC" "${asm[@]}" -o "$out/asm-zicond" "$src/asm/zicond.S"
# The same program with each Zicond instruction replaced by base-ISA code;
# it runs under qemu and cross-checks the hand-written expected output.
"$CC" "${asm[@]}" -DZICOND_REFERENCE -o "$out/asm-zicond-ref" "$src/asm/zicond.S"

du -cb "$out"/* | tail -n 1 | awk '{ printf "tests/guest/bin: %.1f MB\n", $1 / 1e6 }'
