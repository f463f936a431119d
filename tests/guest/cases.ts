// The guest-program test corpus: which RISC-V Linux programs to run, with
// what arguments, input and environment, and which files they leave behind.
// The expected result of each case is tests/guest/expected/<name>.json,
// recorded with qemu-riscv64 by `node tools/accept-guest.js NAME…`.
// Sources are in tests/guest/src/, binaries (committed) in tests/guest/bin/,
// rebuilt by tests/guest/build.sh.

export interface GuestCase {
  /** unique; also the name of the expected-output file */
  name: string
  /** path relative to the repository root, e.g. 'tests/guest/bin/hello' */
  program: string
  args?: string[]
  stdin?: string
  /** guest environment additions (passed with -E to both emulators) */
  env?: Record<string, string>
  /** for dynamic programs: passed as -L; may start with '$CROSS' meaning /usr/riscv64-linux-gnu */
  sysroot?: string
  /** files the program writes in its working directory, compared after the run */
  files?: string[]
  /** default true; false when qemu-riscv64 7.2 cannot run it (e.g. Zicond) */
  qemu?: boolean
  /** which qemu-riscv64 records and confirms the expectation: 7.2 (default, on PATH) or
   * 10.0 (.cache/qemu-user/, from tools/fetch-qemu-user.sh), for what 7.2 lacks (the vDSO) */
  reference?: 'qemu-7.2' | 'qemu-10'
  timeoutMs?: number
  /** the first process's exit does not end the run: processes it left behind (which
   * qemu-riscv64 runs as host processes) finish, and their output and files count */
  waitForOrphans?: boolean
  /** stderr is not compared; only for programs whose stderr cannot be made deterministic */
  ignoreStderr?: boolean
  /** the expected result must be identical to that of this other case (a cross-check
   * for hand-written expectations) */
  sameAs?: string
}

const bin = (name: string): string => `tests/guest/bin/${name}`

export const guestCases: GuestCase[] = [
  // --- C, static ---
  // printf/puts, one line on stderr
  { name: 'hello', program: bin('hello') },
  // argv, sorted environment, auxv facts, stack alignment
  {
    name: 'args',
    program: bin('args'),
    args: ['one', 'two words', '', 'ünïcödé'],
    env: { RVT_GREETING: 'hi there', RVT_EMPTY: '' },
  },
  // the vDSO: AT_SYSINFO_EHDR, its maps line, symbols and versions, each function, signal return
  { name: 'vdso', program: bin('vdso'), reference: 'qemu-10' },
  // exit(42) with atexit handlers and buffered output
  { name: 'exit42', program: bin('exit42') },
  // malloc/free/realloc/calloc stress, brk and mmap-backed blocks
  { name: 'malloc', program: bin('malloc') },
  // qsort, strtol/strtod, snprintf %a %e %g, mem*/str* at all alignments
  { name: 'strings', program: bin('strings') },
  // libm results, fesetround, fetestexcept
  { name: 'libm', program: bin('libm') },
  // div by zero, INT_MIN/-1 without SIGFPE, mulh via __int128, 128-bit ints
  { name: 'intarith', program: bin('intarith') },
  // setjmp/longjmp across frames, sigsetjmp
  { name: 'setjmp', program: bin('setjmp') },
  // open/read/write/lseek/pread/pwrite/ftruncate/stat/links/dirs/fcntl/dup2
  {
    name: 'files',
    program: bin('files'),
    files: ['notes.txt', 'redirected.txt', 'sparse.txt', 'dir/inner.txt'],
  },
  // fork, pipes, wait statuses, children killed by SIGABRT/SIGSEGV/SIGKILL/SIGTERM
  { name: 'procs', program: bin('procs') },
  // fork + execve of other guest programs (paths relative to argv[0]'s directory).
  // qemu-riscv64 7.2 passes execve to the host kernel, which cannot run a RISC-V
  // binary without binfmt_misc, so this expectation was assembled by hand from
  // qemu runs of the exec'd programs with the same argv/envp:
  //   env -i RVT_FROM=exec PATH=/nowhere Z=last qemu-riscv64 $BIN/args 'from exec' second
  //   env -i qemu-riscv64 $BIN/exit42;  env -i qemu-riscv64 $BIN/hello
  // plus the parent's own lines (the failing execve calls do run under qemu).
  { name: 'exec', program: bin('exec'), args: ['args', 'exit42', 'hello'], qemu: false },
  // pthreads: mutex, atomics, condvar, barrier, once, TLS, keys
  { name: 'threads', program: bin('threads') },
  // sigaction, SIGSEGV/SIGILL handlers, no SIGFPE, sigaltstack, masks, rt signals
  { name: 'signals', program: bin('signals') },
  // mmap/munmap/mprotect/mremap, file-backed private and shared, brk/sbrk
  { name: 'mmap', program: bin('mmap'), files: ['mapped.txt', 'shared.txt'] },
  // clocks, nanosleep, getrandom, uname, getcwd/chdir, umask, poll, pipe2
  { name: 'sys', program: bin('sys') },
  // dies of SIGSEGV: status 139
  { name: 'segv', program: bin('segv') },
  // Generated and self-modifying code without fence.i.
  { name: 'jit', program: bin('jit') },
  // reads stdin to EOF
  {
    name: 'stdin',
    program: bin('stdin'),
    stdin: 'hello world\n  two  words here \n\n\tünïcödé line\nlast line without newline',
  },

  // --- C++, static ---
  // iostream, containers, exceptions, virtual dispatch, static ctors/dtors
  { name: 'cxx', program: bin('cxx') },
  // std::thread, mutex, atomic, condition_variable, async/future, call_once
  { name: 'cxx-thread', program: bin('cxx-thread') },

  // --- dynamically linked (ld.so and shared libraries from the cross sysroot) ---
  { name: 'hello-dyn', program: bin('hello-dyn'), sysroot: '$CROSS' },
  { name: 'threads-dyn', program: bin('threads-dyn'), sysroot: '$CROSS' },
  { name: 'cxx-dyn', program: bin('cxx-dyn'), sysroot: '$CROSS' },

  // --- assembly, no libc ---
  // write + exit with raw syscalls
  { name: 'asm-hello', program: bin('asm-hello') },
  // RV64I: lui/auipc, W ops, shift masking, compares, loads/stores, branches, jalr
  { name: 'asm-rv64i', program: bin('asm-rv64i') },
  // every major compressed instruction form
  { name: 'asm-rvc', program: bin('asm-rvc') },
  // M: div/rem by zero and overflow, mulh/mulhu/mulhsu, W forms
  { name: 'asm-mext', program: bin('asm-mext') },
  // A: lr/sc loops and failures, every AMO .w/.d
  { name: 'asm-aext', program: bin('asm-aext') },
  // Zba/Zbb/Zbc/Zbs
  { name: 'asm-zbx', program: bin('asm-zbx') },
  // Zicond: qemu-riscv64 7.2 has no Zicond (SIGILL), so the expectation was
  // written from the specification; it must equal asm-zicond-ref's, which
  // qemu records from the same program built with base-ISA replacements.
  { name: 'asm-zicond', program: bin('asm-zicond'), qemu: false, sameAs: 'asm-zicond-ref' },
  { name: 'asm-zicond-ref', program: bin('asm-zicond-ref') },
  // F/D: all rounding modes, fflags, NaN boxing, conversions, fclass, fcsr
  { name: 'asm-fpu', program: bin('asm-fpu') },
  // self-modifying code with fence.i in an RWX mapping, W^X via mprotect
  { name: 'asm-smc', program: bin('asm-smc') },
  // dies of SIGILL: status 132
  { name: 'asm-illegal', program: bin('asm-illegal') },
]
