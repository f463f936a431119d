#!/usr/bin/env bash
# run.sh: builds the system-call tests in src/ (riscv64-linux-gnu-gcc, static)
# into .cache/syscalls-bin/ and runs each under qemu-riscv64 and rvscope in
# the same fresh directory, comparing stdout and the exit status.
#   tests/syscalls/run.sh [NAME...]      (default: every src/*.c)
# Exit status 0 when every test matches; a diff is printed for each that does not.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/.cache/syscalls-bin
mkdir -p "$bin"
cc=${CROSS_PREFIX:-riscv64-linux-gnu-}gcc
rvscope=(node "$root/bin/rvscope-riscv64.js")
qemu=(qemu-riscv64)

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$here"/src/*.c; do names+=("$(basename "$f" .c)"); done
fi

work=$(mktemp -d /tmp/rvscope-syscalls.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
for n in "${names[@]}"; do
  src=$here/src/$n.c
  exe=$bin/$n
  if [ ! -x "$exe" ] || [ "$src" -nt "$exe" ] || [ "$here/src/t.h" -nt "$exe" ]; then
    "$cc" -O2 -Wall -static -o "$exe" "$src" || { echo "FAIL $n (build)"; fail=$((fail + 1)); continue; }
  fi
  for who in qemu rvscope; do
    rm -rf "$work/run" && mkdir "$work/run"
    if [ $who = qemu ]; then cmd=("${qemu[@]}"); else cmd=("${rvscope[@]}"); fi
    # Descriptors above 2 that this shell inherited would be the guest's under qemu (not under rvscope): close them.
    (
      cd "$work/run" || exit 1
      for f in /proc/$BASHPID/fd/*; do
        n=${f##*/}
        if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi
      done
      exec timeout 60 "${cmd[@]}" "$exe" >"$work/$who.out" 2>"$work/$who.err" </dev/null
    )
    echo "exit status: $?" >>"$work/$who.out"
  done
  if diff -u "$work/qemu.out" "$work/rvscope.out" >"$work/diff"; then
    echo "ok   $n"
    pass=$((pass + 1))
  else
    echo "FAIL $n"
    cat "$work/diff"
    sed 's/^/  rvscope stderr: /' "$work/rvscope.err" | head -20
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
