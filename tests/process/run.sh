#!/usr/bin/env bash
# run.sh: builds the process/thread/signal test programs in src/ (static,
# riscv64-linux-gnu-gcc) into .cache/process-bin/ and runs each under
# rvscope and qemu-riscv64, comparing stdout and the exit status.
#
# qemu-riscv64 hands execve to the host kernel, so a test that execs a
# RISC-V program gets "qemu-riscv64 PROG" as the command under qemu and
# just "PROG" under rvscope (which runs every guest process itself).
#
# Then, rvscope only: a Debian busybox shell pipeline (the applets run as
# riscv64 programs inside rvscope) and a "#!" script, when the Debian
# sysroot exists (tools/fetch-debian-riscv64.sh).
#
# Usage: tests/process/run.sh [NAME...]     (exit status 1 if any differs)
# Env:   QEMU=qemu-riscv64  CC=riscv64-linux-gnu-gcc
# Outputs of both runs stay in .cache/process-bin/out/.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/.cache/process-bin
out=$bin/out
CC=${CC:-riscv64-linux-gnu-gcc}
QEMU=${QEMU:-qemu-riscv64}
QEMU_PATH=$(command -v "$QEMU")
RV=(node "$root/bin/rvscope-riscv64.js")
mkdir -p "$bin" "$out"

for src in "$here"/src/*.c; do
	name=$(basename "$src" .c)
	if [ ! -e "$bin/$name" ] || [ "$src" -nt "$bin/$name" ] || [ "$here/src/t.h" -nt "$bin/$name" ]; then
		"$CC" -O2 -Wall -static -pthread -o "$bin/$name" "$src" || exit 1
	fi
done

# name|program and arguments; @UPPER is the exec'd helper (see above)
cases=(
	"forkwait|forkwait"
	"pipeexec|pipeexec @UPPER"
	"spawn|spawn @UPPER"
	"threads|threads"
	"signals|signals"
	"futex|futex"
	"misc|misc"
	"die-exit|die exit 7"
	"die-abort|die abort"
	"die-segv|die segv"
	"die-kill|die kill"
	"die-term|die term"
	"die-thread-exit|die thread-exit 9"
)

want=("$@")
fail=0
for c in "${cases[@]}"; do
	name=${c%%|*}
	cmd=${c#*|}
	if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $name "* ]] && [[ ! " ${want[*]} " == *" ${name%%-*} "* ]]; then
		continue
	fi
	read -r -a words <<<"$cmd"
	rv=("$bin/${words[0]}")
	qm=("$bin/${words[0]}")
	for w in "${words[@]:1}"; do
		if [ "$w" = @UPPER ]; then
			rv+=("$bin/upper")
			qm+=("$QEMU_PATH" "$bin/upper")
		else
			rv+=("$w")
			qm+=("$w")
		fi
	done
	# The subshells' own stderr is dropped: bash reports children killed by signals there.
	(cd /tmp && timeout 300 "${RV[@]}" "${rv[@]}" >"$out/$name.rvscope" 2>"$out/$name.rvscope.err") 2>/dev/null
	rs=$?
	(cd /tmp && timeout 300 "$QEMU" "${qm[@]}" >"$out/$name.qemu" 2>"$out/$name.qemu.err") 2>/dev/null
	qs=$?
	if [ $rs -eq $qs ] && cmp -s "$out/$name.rvscope" "$out/$name.qemu"; then
		echo "PASS $name (status $rs)"
	else
		echo "FAIL $name: status rvscope $rs, qemu $qs"
		diff "$out/$name.qemu" "$out/$name.rvscope" | head -20 | sed 's/^/    /'
		fail=1
	fi
done

# rvscope only: execve of a host (x86-64) ELF fails with ENOEXEC; fexecve runs a guest program.
if [ ${#want[@]} -eq 0 ] || [[ " ${want[*]} " == *" execerr "* ]]; then
	host_elf=$(type -P true)
	got=$(cd /tmp && timeout 300 "${RV[@]}" "$bin/execerr" exec "$host_elf" 2>&1; echo "status $?")
	if [ "$got" = $'exec '"$host_elf"$': ENOEXEC\nstatus 1' ]; then echo "PASS execerr-x86 (rvscope only)"; else echo "FAIL execerr-x86: $got"; fail=1; fi
	got=$(cd /tmp && timeout 300 "${RV[@]}" "$bin/execerr" fexecve "$bin/upper" 2>&1; echo "status $?")
	if [ "$got" = $'[upper: 1 args \'exec\'d\', fd 5 closed, fd 6 closed]\nstatus 0' ]; then echo "PASS execerr-fexecve (rvscope only)"; else echo "FAIL execerr-fexecve: $got"; fail=1; fi
fi

# rvscope only: a busybox shell running its applets as guest programs.
sysroot=$root/.cache/debian-riscv64/sysroot
if [ ${#want[@]} -eq 0 ] || [[ " ${want[*]} " == *" busybox "* ]]; then
	if [ -x "$sysroot/usr/bin/busybox" ]; then
		script=$out/script.sh
		printf '#!/usr/bin/busybox sh\necho "script args: $*"\nexit 4\n' >"$script"
		chmod +x "$script"
		expected=$'HI\n3\nscript args: a b\nstatus 4\nsubshell 5\n12\ntrapped'
		got=$(cd /tmp && timeout 300 "${RV[@]}" -L "$sysroot" "$sysroot/usr/bin/busybox" sh -c \
			"echo hi | busybox tr a-z A-Z; seq 3 | busybox wc -l; $script a b; echo status \$?; (exit 5); echo subshell \$?; trap 'echo trapped' USR1; busybox echo 12 | busybox cat; kill -USR1 \$\$" 2>&1)
		if [ "$got" = "$expected" ]; then
			echo "PASS busybox (rvscope only)"
		else
			echo "FAIL busybox: got:"
			echo "$got" | sed 's/^/    /'
			fail=1
		fi
	else
		echo "SKIP busybox: no $sysroot (run tools/fetch-debian-riscv64.sh)"
	fi
fi
exit $fail
