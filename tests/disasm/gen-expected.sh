#!/usr/bin/env bash
# gen-expected.sh: assembles all.s with binutils and prints `bits<TAB>text`
# lines as objdump disassembles them (symbols and comments dropped), the raw
# material of the expectation table in src/target/riscv/disasm.test.ts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${CROSS_PREFIX:-riscv64-linux-gnu-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${prefix}as" -march=rv64gc_zba_zbb_zbc_zbs_zihintpause_zifencei_zicsr "$here/all.s" -o "$tmp/all.o"
"${prefix}objdump" -d "$tmp/all.o" |
	sed -nE 's/^ *([0-9a-f]+):\t([0-9a-f]+) *\t([^\t]*)\t?([^#<]*).*$/\1\t\2\t\3 \4/p' |
	sed -E 's/ +$//'
