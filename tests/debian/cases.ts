// Guest cases that run real Debian trixie riscv64 programs: busybox-static,
// lua5.4, coreutils, sqlite3, xz-utils and python3. The programs live in the
// git-ignored sysroot that tools/fetch-debian-riscv64.sh builds; the expected
// results in tests/debian/expected/ come from qemu-riscv64 via
// tools/accept-debian.js.
//
// Every case runs in a fresh empty directory with only PATH=/usr/bin:/bin and
// LANG=C (plus its own `env`). Limits that shape the cases:
// - A guest execve of another program runs the *host's* program of that name
//   under qemu-riscv64 (no binfmt handler is assumed), so shell scripts only
//   use busybox applets that ash runs in-process or in a fork without exec
//   (echo, printf, seq, sort, head, cut, awk, md5sum, ls, env, test, ...);
//   applets that busybox starts by re-executing itself (wc, grep, sed, tr,
//   cat, tail, uniq, ...) are run directly as `busybox APPLET` instead.
// - Programs other than busybox print argv[0], i.e. the sysroot path, in
//   their error messages, so only busybox, sqlite3 and python cases check
//   error paths.
// - Outputs are text: stdin is written as UTF-8 and no case prints raw binary.
// - `files` names files the case writes in its directory; their contents are
//   part of the expected result.

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the shell scripts below use ${...} themselves

import type { GuestCase } from '../guest/cases.js'

const SYSROOT = '.cache/debian-riscv64/sysroot'
const BIN = `${SYSROOT}/usr/bin`

// Generous limits: these run a whole libc start-up (python: its stdlib) on a
// possibly slow emulator.
const SMALL_MS = 60000
const PYTHON_MS = 300000

type Extra = Omit<GuestCase, 'name' | 'program' | 'args' | 'sysroot'>

function run(name: string, program: string, args: string[], extra: Extra = {}): GuestCase {
  return {
    name: `debian-${name}`,
    program: `${BIN}/${program}`,
    args,
    sysroot: SYSROOT,
    timeoutMs: SMALL_MS,
    ...extra,
  }
}

/** `busybox APPLET ARGS...`: the applet runs in the first process itself. */
function bb(name: string, applet: string, args: string[], extra: Extra = {}): GuestCase {
  return run(`bb-${name}`, 'busybox', [applet, ...args], extra)
}

/** A busybox ash script given with `sh -c`; lines are joined with newlines. */
function sh(name: string, script: string | string[], extra: Extra = {}): GuestCase {
  return bb(`sh-${name}`, 'sh', ['-c', Array.isArray(script) ? script.join('\n') : script], extra)
}

function lua(name: string, script: string | string[], extra: Extra = {}): GuestCase {
  return run(`lua-${name}`, 'lua5.4', ['-e', Array.isArray(script) ? script.join('\n') : script], extra)
}

// -B: no .pyc files written into the shared sysroot.
function py(name: string, script: string | string[], extra: Extra = {}): GuestCase {
  const code = Array.isArray(script) ? script.join('\n') : script
  return run(`python3-${name}`, 'python3', ['-B', '-c', code], { timeoutMs: PYTHON_MS, ...extra })
}

// -init /dev/null: never read a ~/.sqliterc of whoever runs the tests.
const SQLITE_ARGS = ['-batch', '-init', '/dev/null']

function sqlite(name: string, sql: string | string[], extra: Extra = {}): GuestCase {
  const text = Array.isArray(sql) ? sql.join('\n') : sql
  return run(`sqlite3-${name}`, 'sqlite3', [...SQLITE_ARGS, ':memory:', text], extra)
}

const POEM = 'the quick brown fox\njumps over\nthe lazy dog\nThe End\n'
const CSV = 'id,name,score\n3,carol,72.5\n1,alice,90\n4,dave,88\n2,bob,65.25\n'
const WORDS = 'pear\napple\nfig\napple\nkiwi\nfig\napple\nbanana\n'

const busyboxApplets: GuestCase[] = [
  bb('echo', 'echo', ['-n', 'no', 'newline', '|']),
  bb('echo-escapes', 'echo', ['-e', 'tab\\there\\nline2\\\\ \\x41\\0102']),
  bb('printf', 'printf', [
    '%s=%d|%5.2f|%-6s|%x|%o|%c|%e|%g\\n',
    'k',
    '42',
    '3.14159',
    'ab',
    '255',
    '8',
    'Zed',
    '12345.678',
    '0.0001',
  ]),
  bb('printf-reuse', 'printf', ['[%s:%03d]\\n', 'a', '1', 'b', '22', 'c']),
  bb('seq', 'seq', ['-s', ',', '1', '3', '20']),
  bb('seq-width', 'seq', ['-w', '8', '11']),
  bb('sort', 'sort', [], { stdin: WORDS }),
  bb('sort-numeric', 'sort', ['-t', ',', '-k', '3,3', '-n', '-r'], { stdin: CSV }),
  bb('sort-unique', 'sort', ['-u', '-f'], { stdin: 'b\nA\na\nB\nc\n' }),
  bb('uniq-count', 'uniq', ['-c'], { stdin: 'a\na\nb\nc\nc\nc\na\n' }),
  bb('wc', 'wc', [], { stdin: POEM }),
  bb('wc-lines', 'wc', ['-l'], { stdin: POEM }),
  bb('tr-upper', 'tr', ['a-z', 'A-Z'], { stdin: POEM }),
  bb('tr-delete', 'tr', ['-d', 'aeiou'], { stdin: POEM }),
  bb('tr-squeeze', 'tr', ['-s', ' o'], { stdin: 'a  loooong    sentence  here\n' }),
  bb('sed-subst', 'sed', ['s/the/THE/g; s/o\\(.\\)/0\\1/'], { stdin: POEM }),
  bb('sed-range', 'sed', ['-n', '2,3p; $='], { stdin: POEM }),
  bb('sed-reverse', 'sed', ['1!G;h;$!d'], { stdin: POEM }),
  bb('sed-extended', 'sed', ['-E', 's/([a-z]+) ([a-z]+)/\\2 \\1/'], { stdin: POEM }),
  bb(
    'awk-sum',
    'awk',
    ['-F', ',', 'NR > 1 { s += $3; n++ } END { printf "%d rows, total %.2f, mean %.4f\\n", n, s, s / n }'],
    {
      stdin: CSV,
    },
  ),
  bb(
    'awk-arrays',
    'awk',
    [
      '{ c[$1]++; order[NR] = $1 } END { for (i = 1; i <= NR; i++) if (!seen[order[i]]++) print order[i], c[order[i]] }',
    ],
    { stdin: WORDS },
  ),
  bb('awk-strings', 'awk', [
    'BEGIN { s = "Hello, World"; print length(s), index(s, "World"), substr(s, 8, 3), toupper(s), tolower(s);' +
      ' n = split("a:b:c:d", p, ":"); print n, p[1] p[4]; t = s; gsub(/o/, "0", t); print t;' +
      ' print sprintf("%5s|%-5s|%05.1f", "ab", "cd", 3.14159); print match("foobar", /ob+/), RSTART, RLENGTH }',
  ]),
  // Debian's static busybox has no awk math library (sin, exp, ^, ...):
  // plain arithmetic and number formatting only. %d of values beyond 32 bits
  // shows the saturating float-to-int conversion of RISC-V.
  bb('awk-arithmetic', 'awk', [
    'BEGIN { x = 0.1 + 0.2; print (x == 0.3), x;' +
      ' printf "%.17g %.10f %d %d %d %d\\n", x, 1 / 3, int(-3.7), -7 / 2, 3000000000, -3000000000;' +
      ' print 1e300 * 1e300, -1e300 * 1e300, 7 % 3, -7 % 3, 5.5 % 2, 1e6, 1e16, 0.000001, 100 / 3;' +
      ' printf "%e %g %x %o %c %5.1f%%\\n", 12345.678, 0.0001, 255, 8, 65, 99.44; print "3x" + 4, -"2", 010 + 0, "0x10" + 0 }',
  ]),
  bb('awk-fields', 'awk', ['-v', 'sep=-', '{ $2 = toupper($2); NF = 2; print NR sep NF sep $0 }'], {
    stdin: POEM,
  }),
  bb('awk-functions', 'awk', [
    'function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) } function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }' +
      ' BEGIN { for (i = 0; i <= 20; i += 5) printf "fib(%d)=%d ", i, fib(i); print ""; printf "%d %.15g\\n", fact(15), fact(25) }',
  ]),
  bb('grep', 'grep', ['-n', 'the'], { stdin: POEM }),
  bb('grep-options', 'grep', ['-i', '-c', '-E', 'the|fox'], { stdin: POEM }),
  bb('grep-only', 'grep', ['-o', '-E', '[a-z]*o[a-z]*'], { stdin: POEM }),
  bb('grep-invert', 'grep', ['-v', '-e', 'jumps', '-e', 'lazy'], { stdin: POEM }),
  bb('grep-no-match', 'grep', ['zebra'], { stdin: POEM }),
  bb('cut-fields', 'cut', ['-d', ',', '-f', '1,3'], { stdin: CSV }),
  bb('cut-chars', 'cut', ['-c', '2-4,7'], { stdin: POEM }),
  bb('head', 'head', ['-n', '2'], { stdin: POEM }),
  bb('tail', 'tail', ['-n', '2'], { stdin: POEM }),
  bb('tail-bytes', 'tail', ['-c', '9'], { stdin: POEM }),
  bb('md5sum', 'md5sum', [], { stdin: POEM }),
  bb('sha1sum', 'sha1sum', [], { stdin: POEM }),
  bb('sha256sum', 'sha256sum', [], { stdin: POEM }),
  bb('sha512sum', 'sha512sum', [], { stdin: POEM }),
  bb('sha3sum', 'sha3sum', [], { stdin: POEM }),
  bb('expr-arith', 'expr', ['(', '7', '+', '5', ')', '*', '3', '%', '10']),
  bb('expr-string', 'expr', ['length', 'hello', '+', '0']),
  bb('expr-match', 'expr', ['abc123def', ':', '[a-z]*\\([0-9]*\\)']),
  bb('expr-zero', 'expr', ['5', '-', '5']),
  bb('basename', 'basename', ['/usr/lib/libfoo.so.1', '.1']),
  bb('dirname', 'dirname', ['/usr/lib/libfoo.so.1']),
  bb('od', 'od', ['-A', 'd', '-t', 'x1', '-c'], { stdin: 'Hi\tthere\n\u00e9' }),
  bb('hexdump', 'hexdump', ['-C'], { stdin: POEM }),
  bb('xxd', 'xxd', [], { stdin: 'riscv64 \u2713\n' }),
  bb('base64', 'base64', [], { stdin: POEM }),
  bb('base64-decode', 'base64', ['-d'], { stdin: 'aGVsbG8sIHJpc2N2IHdvcmxkIQo=\n' }),
  bb('cat-number', 'cat', ['-n'], { stdin: POEM }),
  bb('nl', 'nl', [], { stdin: POEM }),
  bb('rev', 'rev', [], { stdin: POEM }),
  bb('tac', 'tac', [], { stdin: POEM }),
  bb('fold', 'fold', ['-w', '7'], { stdin: POEM }),
  bb('paste', 'paste', ['-s', '-d', '+'], { stdin: '1\n2\n3\n4\n' }),
  bb('factor', 'factor', ['1234567', '600851475143', '18446744073709551615']),
  bb('bc', 'bc', [], { stdin: 'scale=20\n1/7\n2^100\n17%5\nsqrt(2)\n' }),
  bb('bc-mathlib', 'bc', ['-l'], { stdin: '4*a(1)\ne(1)\nl(10)\ns(1)\n' }),
  bb('dc', 'dc', [], { stdin: '2 3 + 4 * p 10 3 / p 2 64 ^ p\n' }),
  bb('cal', 'cal', ['2', '2024']),
  bb('date-fixed', 'date', ['-u', '-d', '@1000000000', '+%Y-%m-%d %H:%M:%S %j %a %b %s']),
  bb('test-false', 'test', ['3', '-gt', '5']),
  bb('false', 'false', []),
  bb('true', 'true', []),
  bb('uname-machine', 'uname', ['-m']),
  bb('error-missing-file', 'ls', ['no-such-file']),
]

const busyboxShell: GuestCase[] = [
  sh(
    'pipeline',
    'seq 1 20 | sort -n -r | head -n 5 | awk \'{ s += $1; printf "%s ", $1 } END { print "=", s }\'',
  ),
  sh('pipeline-long', "seq 1000 | awk '$1 % 7 == 0' | sort -r | cut -c1-2 | sort -u | head -n 4"),
  sh('for-loop', 'for i in 1 2 3; do for j in a b; do printf "%s%s " $i $j; done; done; echo'),
  sh('while-arith', [
    'i=0; s=0',
    'while [ $i -lt 100 ]; do i=$((i + 1)); s=$((s + i * i)); done',
    'echo "sum of squares: $s"',
  ]),
  sh('case', [
    'for w in apple 42 Zed -x ""; do',
    '  case "$w" in',
    '    [0-9]*) echo "$w: number";;',
    '    [A-Z]*) echo "$w: capital";;',
    '    -*) echo "$w: option";;',
    '    "") echo "(empty)";;',
    '    *) echo "$w: word";;',
    '  esac',
    'done',
  ]),
  sh('subshell', [
    'x=outer',
    '(x=inner; echo "in: $x"; exit 3)',
    'echo "status: $? x: $x"',
    '{ x=group; }',
    'echo "after group: $x"',
  ]),
  sh('command-substitution', [
    'a=$(echo one $(echo two $(echo three)))',
    'echo "[$a]"',
    "n=$(seq 5 | awk '{ s += $1 } END { print s }')",
    'echo "n=$n len=${#a}"',
    'echo "back`echo tick`"',
  ]),
  sh('here-doc', [
    'name=world',
    'sort <<EOF',
    'zeta $name',
    'alpha $((6 * 7))',
    'mid $(echo sub)',
    'EOF',
    "awk '{ print NR \": \" $0 }' <<'RAW'",
    'literal $name',
    '$(not run)',
    'RAW',
  ]),
  sh('false-status', 'false; echo $?; true; echo $?; ! false; echo $?'),
  sh('exit-status', 'echo before; exit 42'),
  sh(
    'and-or',
    'true && echo and-yes; false && echo and-no; false || echo or-yes; test 1 -eq 1 && test 2 -gt 1 || echo never; echo done',
  ),
  sh('test', [
    'touch f; mkdir d',
    'for t in "-f f" "-d d" "-e nothing" "-z \'\'" "-n x" "3 -le 3" "abc = abc" "abc != abd" "-d f"; do',
    '  if eval "test $t"; then echo "test $t: true"; else echo "test $t: false"; fi',
    'done',
    '[ 10 -gt 9 ] && [ ! -s f ] && echo brackets',
  ]),
  sh('functions', [
    'fib() { if [ $1 -lt 2 ]; then echo $1; else echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) )); fi; }',
    'greet() { local who=${1:-nobody}; echo "hi $who ($#)"; return 5; }',
    'echo "fib 12 = $(fib 12)"',
    'greet a b; echo "ret $?"; greet',
  ]),
  sh('parameter-expansion', [
    'p=/usr/lib/libfoo.so.1.2',
    'echo "${p##*/} ${p#*/} ${p%.*} ${p%%.*} ${#p}"',
    'echo "${p:5:3} ${p/lib/LIB} ${p//lib/L}"',
    'unset u; echo "${u:-default} ${u-dash} ${u:+alt} [${p:+set}]"',
    ': ${v:=assigned}; echo $v',
  ]),
  sh('positional', [
    'set -- one "two words" three',
    'echo "$# $1 $2"',
    'for a in "$@"; do echo "<$a>"; done',
    'shift 2; echo "$# $*"',
    'IFS=:; set -- $(echo a:b:c); echo "$2 $#"',
  ]),
  sh(
    'read-loop',
    'while IFS=, read -r id name score; do [ "$id" = id ] && continue; echo "$name has $score (#$id)"; done',
    { stdin: CSV },
  ),
  sh(
    'redirections',
    [
      'echo first > out.txt',
      'echo second >> out.txt',
      'exec 3>>out.txt; echo third >&3; exec 3>&-',
      'echo err 1>&2',
      'sort -r < out.txt',
      '{ echo to-null; echo to-err >&2; } 2>&1 >/dev/null',
    ],
    { files: ['out.txt'] },
  ),
  sh(
    'files',
    [
      'mkdir -p d/sub; touch d/b d/a d/sub/z',
      'echo hello > d/c',
      'cp d/c d/c2; mv d/c2 d/e; ln -s c d/link; rm d/a',
      'ls d; echo --; ls -1a d/sub; echo --',
      'find d | sort',
      'readlink d/link; stat -c "%n %s %F" d/c d/e; stat -c %F d/sub',
      'echo done > result.txt',
    ],
    { files: ['result.txt', 'd/e'] },
  ),
  sh(
    'checksum-file',
    [
      'printf "line one\\nline two\\n" > f.txt',
      'md5sum f.txt; sha1sum f.txt; sha256sum f.txt',
      'dd if=/dev/zero bs=1024 count=4 2>/dev/null | md5sum',
    ],
    { files: ['f.txt'] },
  ),
  sh('env', "env | awk '!/^PWD=/' | sort", { env: { ZZ_CASE: 'value' } }),
  sh('trap', ['trap \'echo "exit trap ($?)"\' EXIT', 'echo body', 'exit 4']),
  sh('background-wait', [
    '(seq 3 | sort -r) & wait',
    'echo after-wait $?',
    'sleep 0 & wait $!; echo slept $?',
  ]),
  // The shell exits first; its background job, now an orphan, still finishes its work.
  sh(
    'orphan-finishes',
    [
      '(i=0; while [ $i -lt 3000 ]; do i=$((i + 1)); done; echo from-orphan > orphan.txt; echo late) &',
      'echo early',
      'exit 7',
    ],
    { files: ['orphan.txt'], waitForOrphans: true },
  ),
  sh('builtins', [
    'x=5; x=$((x << 3 | 1)); echo $x $((x % 7)) $((-x / 4)) $((0x1f)) $((010)) $((2 ** 10))',
    'printf "%05d|%-4s|%x\\n" 42 ab 255',
    'type echo | head -n 1',
    'echo $((9223372036854775807 + 1))',
    'v=$(printf "%s" abc); echo ${#v}',
  ]),
  sh('nofork-applets', [
    'basename /a/b/c.txt .txt; dirname /a/b/c.txt',
    'expr 6 \\* 7; expr substr hello 2 3',
    'seq -s " " 3',
    'uname -m',
    'printf "b\\na\\n" | sort | head -n 1',
  ]),
  sh('date-utc', 'date -u -d @86400 "+%F %T %A"; date -u -d "2024-02-29 13:45" +%j'),
]

const luaCases: GuestCase[] = [
  lua('hello', 'print("hello from lua", _VERSION ~= nil, 1 + 2, 7 // 2, 7 / 2, 2 ^ 10, 7 % -3)'),
  lua('strings', [
    'local s = "The quick brown fox"',
    'print(#s, s:upper(), s:lower(), s:rep(2, "|"), s:sub(5, 9), s:sub(-3))',
    'print(s:find("quick"), s:find("o", 1, true), s:match("(%a+) fox"), s:byte(1, 3))',
    'print((s:gsub("%w+", function(w) return w:reverse() end)), select(2, s:gsub("o", "0")))',
    'for w in s:gmatch("%a+") do io.write("[", w, "]") end print()',
    'print(string.char(76, 117, 97), ("x"):rep(3), ("%q"):format("a\\n\\"b\\0"), tostring(nil), #"\\u{48}\\u{20AC}")',
  ]),
  lua('tables', [
    'local t = {}',
    'for i = 1, 10 do t[#t + 1] = (i * 7) % 11 end',
    'table.sort(t) print(table.concat(t, ","))',
    'table.sort(t, function(a, b) return a > b end) print(table.concat(t, ","))',
    'table.insert(t, 1, 99) print(table.remove(t), table.remove(t, 1), #t)',
    'print(table.unpack({1, 2, 3}), select("#", nil, nil), table.concat(table.move({1, 2, 3}, 1, 3, 2), " "))',
    'local keys = {} for k in pairs({banana = 1, apple = 2, cherry = 3}) do keys[#keys + 1] = k end',
    'table.sort(keys) print(table.concat(keys, " "))',
    'local m = setmetatable({}, {__index = function(_, k) return k * 2 end}) print(m[21], rawget(m, 21))',
  ]),
  lua('closures', [
    'local function counter(start) local n = start return function(step) n = n + (step or 1) return n end end',
    'local a, b = counter(0), counter(100)',
    'print(a(), a(), a(5), b(), a())',
    'local fs = {} for i = 1, 3 do fs[i] = function() return i * 10 end end',
    'print(fs[1](), fs[2](), fs[3]())',
    'local function compose(f, g) return function(...) return f(g(...)) end end',
    'print(compose(function(x) return x + 1 end, math.abs)(-41))',
    'local function sum(...) local s = 0 for _, v in ipairs({...}) do s = s + v end return s, select("#", ...) end',
    'print(sum(1, 2, 3, 4))',
  ]),
  lua('coroutines', [
    'local function gen(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i * i) end end) end',
    'for v in gen(5) do io.write(v, " ") end print()',
    'local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) local d, e = coroutine.yield(c * 2) return d + e end)',
    'print(coroutine.resume(co, 1, 2)) print(coroutine.resume(co, 10)) print(coroutine.resume(co, 3, 4))',
    'print(coroutine.status(co), coroutine.resume(co))',
    'local p = coroutine.create(function() pcall(function() coroutine.yield("inside pcall") end) error("after") end)',
    'print(coroutine.resume(p)) print(coroutine.resume(p))',
    'print(coroutine.isyieldable(), select(2, coroutine.running()))',
  ]),
  lua('floats', [
    'local function g(x) return string.format("%.17g", x) end',
    'print(g(0.1 + 0.2), g(1 / 3), g(math.pi), g(math.sqrt(2)), g(math.exp(1)), g(2 ^ 53 + 1))',
    'print(g(math.sin(1)), g(math.cos(1e10)), g(math.log(10)), g(math.log(8, 2)), g(math.atan(1, 2)), g(math.fmod(-7.5, 2)))',
    'print(1e308 * 10, -1e308 * 10, 0 / 0 ~= 0 / 0, -0.0, 1 / -math.huge, math.floor(-3.5), math.ceil(-3.5))',
    'print(math.maxinteger + 1 == math.mininteger, math.maxinteger // -1, 7 // 0.0, -7 // 0.0, math.tointeger(3.0), math.tointeger(3.5))',
    'print(3 | 5, 3 & 5, 3 ~ 5, ~0, 1 << 63, 1 << 64, -1 >> 1, math.ult(1, -1), 5 // 2 * 2.0)',
    'print(tostring(1e15), tostring(1e16), 2^63, math.type(2^31), math.type(1), 10 // 3, 10.0 // 3, -10 % 3, 10 % -3.0)',
    'print("10" + 5, "3.5" * 2, 10 .. 20, tonumber("0x1p4"), tonumber("  12  "), tonumber("z", 36), tonumber("1e2"))',
    'math.randomseed(42) print(math.random(1, 1000), math.random(1, 1000), g(math.random()))',
  ]),
  lua('format', [
    'print(string.format("%5.2f|%-8s|%x|%X|%o|%e|%g|%g", 3.14159, "left", 255, 255, 8, 12345.678, 1e-5, 1e20))',
    'print(string.format("%5d|%-5d|%05d|%+d|%c%c|%s|%10.3s|", 42, 42, 42, 42, 72, 105, {} ~= nil, "abcdef"))',
    'print(string.format("%a %a %.3a", 1.0, 0.1, math.pi))',
    'print(string.format("%i", -3), string.format("%%"), string.format("%q", 1 / 3), string.format("%q", math.mininteger))',
  ]),
  lua('errors', [
    'print(pcall(error, "plain"))',
    'local ok, e = pcall(error, {code = 7}) print(ok, type(e), e.code)',
    'print(select(2, pcall(error, setmetatable({}, {__tostring = function() return "custom" end}))) ~= nil)',
    'print(pcall(function() local x = nil return x.field end))',
    'print(pcall(function() error("with level", 2) end))',
    'print(xpcall(function() return 1 + {} end, function(m) return "handled: " .. m end))',
    'local ok, e = pcall(error) print(ok, e)',
    'print(pcall(string.rep), pcall(setmetatable, 1, {}))',
    'do local x <close> = setmetatable({}, {__close = function() print("closed") end}) print("in block") end',
    'print(select("#", pcall(function() return 1, 2, 3 end)))',
  ]),
  lua('metatables', [
    'local V = {} V.__index = V',
    'local function vec(x, y) return setmetatable({x = x, y = y}, V) end',
    'V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end',
    'V.__eq = function(a, b) return a.x == b.x and a.y == b.y end',
    'V.__lt = function(a, b) return a:len() < b:len() end',
    'V.__tostring = function(v) return "(" .. v.x .. "," .. v.y .. ")" end',
    'V.__call = function(v, k) return v.x * k end',
    'V.__len = function() return 2 end',
    'function V:len() return math.sqrt(self.x ^ 2 + self.y ^ 2) end',
    'local a, b = vec(1, 2), vec(3, 4)',
    'print(tostring(a + b), a == vec(1, 2), a < b, a(10), #a, string.format("%.6f", b:len()))',
    'local log = {} setmetatable(log, {__newindex = function(t, k, v) rawset(t, k, v * 2) end}) log.x = 21 print(log.x)',
    'local gc = 0 for i = 1, 3 do setmetatable({}, {__gc = function() gc = gc + 1 end}) end collectgarbage() collectgarbage() print("gc", gc)',
  ]),
  lua('utf8-pack', [
    'local s = "h\\u{E9}llo \\u{1F600}"',
    'print(#s, utf8.len(s), utf8.char(72, 228, 8364), utf8.codepoint(s, 2))',
    'for p, c in utf8.codes("a\\u{3B1}\\u{10348}") do io.write(p, ":", c, " ") end print()',
    'local packed = string.pack("<i4 >I2 d z", -2, 513, 1.5, "zs")',
    'print(#packed, (packed:gsub(".", function(c) return string.format("%02x", c:byte()) end)))',
    'print(string.unpack("<i4 >I2 d z", packed))',
  ]),
  lua(
    'stdin-lines',
    [
      'local n, words, longest = 0, 0, ""',
      'for line in io.lines() do n = n + 1 for w in line:gmatch("%S+") do words = words + 1 if #w > #longest then longest = w end end end',
      'print(n, words, longest)',
      'io.write(string.format("%s %d\\n", os.getenv("LANG"), #arg))',
    ],
    { stdin: POEM },
  ),
  run('lua-script-from-stdin', 'lua5.4', ['-'], {
    stdin:
      'local t = {}\nfor i = 1, 5 do t[i] = i * i end\nprint(table.concat(t, " "))\n' +
      'local s = 0\nfor _, v in ipairs(t) do s = s + v end\nprint("sum", s)\nos.exit(3)\n',
  }),
  lua('fib-benchmark', [
    'local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end',
    'print(fib(25))',
    'local t = {} for i = 1, 20000 do t[i] = (i * 7919) % 10007 end table.sort(t) print(t[1], t[10000], t[20000])',
    'local parts = {} for i = 1, 2000 do parts[#parts + 1] = tostring(i) end local s = table.concat(parts) print(#s, s:sub(-8))',
  ]),
  lua('exit-status', 'io.write("bye\\n") os.exit(7)'),
]

const coreutilsCases: GuestCase[] = [
  run('coreutils-sort-reverse', 'sort', ['-r'], { stdin: '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n' }),
  run('coreutils-sort-keys', 'sort', ['-t', ',', '-k', '3,3gr', '-k', '2,2'], { stdin: CSV }),
  run('coreutils-seq', 'seq', ['-f', '%.3f', '0', '0.25', '1']),
  run('coreutils-seq-big', 'seq', ['-s', ' ', '18446744073709551614', '18446744073709551617']),
  run('coreutils-base64', 'base64', [], { stdin: 'hi\n' }),
  run('coreutils-base64-decode', 'base64', ['-d'], { stdin: 'cmlzY3Y2NCBjb3JldXRpbHMK\n' }),
  run('coreutils-printf', 'printf', [
    '%s %05d %.3e %x %o %10.4f|%-6s|%b\\n',
    'str',
    '42',
    '12345.6789',
    '255',
    '8',
    '3.14159265',
    'ab',
    'esc\\tape',
  ]),
  run('coreutils-sha256sum', 'sha256sum', [], { stdin: POEM }),
  run('coreutils-md5sum', 'md5sum', [], { stdin: POEM }),
  run('coreutils-b2sum', 'b2sum', ['-l', '128'], { stdin: POEM }),
  run('coreutils-factor', 'factor', [
    '1234567',
    '18446744073709551615',
    '340282366920938463463374607431768211455',
  ]),
  run('coreutils-wc', 'wc', [], { stdin: POEM }),
  run('coreutils-tr', 'tr', ['-s', 'a-z', 'A-Z'], { stdin: 'aabbcc  hello\n' }),
  run('coreutils-od', 'od', ['-A', 'x', '-t', 'x2', '-t', 'c'], { stdin: 'riscv\x01\x7f' }),
  run('coreutils-numfmt', 'numfmt', [
    '--to=iec-i',
    '--suffix=B',
    '1023',
    '1024',
    '123456789',
    '1099511627776',
  ]),
  run('coreutils-expr', 'expr', ['12345', '*', '6789', '%', '1000']),
  run('coreutils-expr-false', 'expr', ['0', '+', '0']),
  run('coreutils-nl', 'nl', ['-ba', '-w3'], { stdin: POEM }),
  run('coreutils-uniq', 'uniq', ['-c', '-i'], { stdin: 'Apple\napple\nBanana\nbanana\nbanana\ncherry\n' }),
  run('coreutils-date-utc', 'date', ['-u', '-d', '2024-02-29 12:34:56', '+%F %T %j %A %B %s']),
  run('coreutils-echo', 'echo', ['-e', 'a\\tb\\x41\\c', 'not printed']),
  run('coreutils-false', 'false', []),
  run('coreutils-split-lines', 'split', ['-l', '4', '-d', '-', 'part'], {
    stdin: POEM + POEM + WORDS,
    files: ['part00', 'part01', 'part02', 'part03'],
  }),
  run('coreutils-csplit', 'csplit', ['-', '/fox/', '/lazy/', '{1}'], {
    stdin: POEM + POEM + POEM,
    files: ['xx00', 'xx01', 'xx02', 'xx03'],
  }),
  run('coreutils-dd-conv', 'dd', ['of=out.txt', 'bs=7', 'count=3', 'conv=ucase,sync', 'status=none'], {
    stdin: POEM,
    files: ['out.txt'],
  }),
]

const sqliteCases: GuestCase[] = [
  sqlite('basic', [
    'create table t(id integer primary key, name text, score real);',
    "insert into t(name, score) values ('alice', 90), ('bob', 65.25), ('carol', 72.5), ('dave', 88);",
    'select id, name, score from t order by score desc;',
    'select count(*), sum(score), avg(score), min(name), max(score) from t;',
  ]),
  sqlite('cte-window', [
    'with recursive fib(n, a, b) as (select 1, 0, 1 union all select n + 1, b, a + b from fib where n < 60)',
    'select n, a from fib where n % 10 = 0;',
    'with recursive c(x) as (select 1 union all select x + 1 from c where x < 10)',
    'select x, sum(x) over (order by x), rank() over (order by x % 3), lag(x, 2, -1) over (order by x) from c;',
  ]),
  sqlite('functions', [
    "select upper('abc'), substr('hello', 2, 3), instr('banana', 'nan'), replace('a-b-c', '-', '+'), length('h\u00e9llo'), hex('riscv');",
    "select printf('%.17g|%5.2f|%d|%x|%s', 0.1 + 0.2, 3.14159, 42, 255, 'str'), quote('it''s'), 7 / 2, 7 / 2.0, 7 % 3, -7 / 2;",
    'select round(2.5), round(-2.5), round(1.23456, 3), abs(-9223372036854775807), 9223372036854775807 + 1, typeof(1e308 * 10);',
    "select sqrt(2), pow(2, 0.5), ln(10), exp(1), ceil(-1.5), floor(-1.5), unicode('\u20ac'), char(82, 86);",
    "select date('2024-02-29', '+1 year'), datetime(1000000000, 'unixepoch'), strftime('%j %w', '2024-12-31');",
  ]),
  run('sqlite3-json-mode', 'sqlite3', [
    ...SQLITE_ARGS,
    '-json',
    ':memory:',
    "select 1 as a, 'two' as b, 3.5 as c, null as d union all select 2, 'x\"y', -0.5, 1e100;",
  ]),
  run('sqlite3-csv-header', 'sqlite3', [
    ...SQLITE_ARGS,
    '-csv',
    '-header',
    ':memory:',
    "select 'a,b' as first, 'plain' as second, 42 as n;",
  ]),
  sqlite('json', [
    "select json_object('a', 1, 'b', json_array(1, 2.5, 'x', null));",
    "select json_extract('{\"x\": {\"y\": [10, 20, 30]}}', '$.x.y[1]'), json_array_length('[1,2,3,4]');",
    'select key, value from json_each(\'{"k1": 1, "k2": "two", "k3": [3]}\');',
    "select json_group_array(v) from (select value as v from json_each('[3,1,2]') order by v);",
  ]),
  run('sqlite3-stdin-script', 'sqlite3', SQLITE_ARGS, {
    stdin:
      '.mode column\n.headers on\ncreate table kv(k text primary key, v integer);\n' +
      "insert into kv values ('one', 1), ('two', 2), ('three', 3);\n" +
      "select k, v, v * v as sq from kv order by v;\n.mode list\nselect group_concat(k, '/') from (select k from kv order by k);\n",
  }),
  run('sqlite3-constraint-error', 'sqlite3', SQLITE_ARGS, {
    stdin:
      "create table u(id integer primary key);\ninsert into u values (1);\ninsert into u values (1);\nselect 'not reached';\n",
  }),
  sqlite('mandelbrot', [
    'WITH RECURSIVE xaxis(x) AS (VALUES(-2.0) UNION ALL SELECT x+0.05 FROM xaxis WHERE x<1.2),',
    'yaxis(y) AS (VALUES(-1.0) UNION ALL SELECT y+0.1 FROM yaxis WHERE y<1.0),',
    'm(iter, cx, cy, x, y) AS (SELECT 0, x, y, 0.0, 0.0 FROM xaxis, yaxis',
    '  UNION ALL SELECT iter+1, cx, cy, x*x-y*y + cx, 2.0*x*y + cy FROM m WHERE (x*x + y*y) < 4.0 AND iter<28),',
    'm2(iter, cx, cy) AS (SELECT max(iter), cx, cy FROM m GROUP BY cx, cy),',
    "a(t) AS (SELECT group_concat( substr(' .+*#', 1+min(iter/7,4), 1), '') FROM m2 GROUP BY cy)",
    "SELECT group_concat(rtrim(t),x'0a') FROM a;",
  ]),
  run('sqlite3-file-db', 'sqlite3', [
    ...SQLITE_ARGS,
    'test.db',
    "create table t(a integer, b text); begin; insert into t values (1, 'one'), (2, 'two'); commit;" +
      " create index ti on t(b); insert into t select a + 2, b || '+' from t; select * from t order by a; pragma integrity_check;",
  ]),
]

const xzCases: GuestCase[] = [
  // A raw LZMA2 stream of one uncompressed chunk (control byte 1, size-1 as
  // two big-endian bytes) and the end marker: all bytes are plain ASCII.
  run('xz-raw-lzma2', 'xz', ['--decompress', '--stdout', '--format=raw', '--lzma2=dict=4KiB'], {
    stdin: '\x01\x00\x1ariscv64 xz raw chunk works\n\x00',
  }),
  // The same chunk behind the delta filter: each output byte adds the one
  // before it, so 'a' followed by ones and twos spells increasing letters.
  run('xz-raw-delta', 'xz', ['-dc', '--format=raw', '--delta=dist=1', '--lzma2=dict=4KiB'], {
    stdin: '\x01\x00\x0aa\x01\x01\x01\x01\x02\x03\x04\x05\x06\x01\x00',
  }),
  run('xz-lzmainfo', 'lzmainfo', [], { stdin: ']\x00\x00\x10\x00\x05\x00\x00\x00\x00\x00\x00\x00' }),
  // Two uncompressed chunks, the second keeping the dictionary (control 2).
  run('xz-raw-two-chunks', 'xz', ['-dc', '--format=raw', '--lzma2=dict=4KiB'], {
    stdin: '\x01\x00\x04hello\x02\x00\x06 world\n\x00',
  }),
]

const pythonCases: GuestCase[] = [
  py('sum', 'print(sum(range(10)))'),
  py('bigint', [
    'import math',
    'print(2 ** 200)',
    'print(math.factorial(40), math.comb(60, 30), math.gcd(2**64 - 1, 2**48 - 1))',
    'print(pow(3, 10**5, 10**9 + 7), pow(7, -1, 13), (-7) // 2, (-7) % 2, divmod(-17, 5))',
    'print(int("1" * 50) * int("9" * 40) % 1000003, (1 << 100) >> 37, (-1 << 70) & 0xFFFF_FFFF_FFFF, hex(-255))',
    'print(int.from_bytes(b"\\x01\\x02\\x03", "little"), (1234567).to_bytes(4, "big"), (2**64).bit_length())',
  ]),
  py('floats', [
    'import math',
    'print(repr(0.1 + 0.2), "%.17g" % math.pi, 1 / 3, 2.0 ** 0.5, 1e300 * 1e10, -1e300 * 1e10, float("nan") != float("nan"))',
    'print(math.sin(1), math.exp(10), math.log(2), math.lgamma(4.5), math.fsum([0.1] * 10), sum([0.1] * 10))',
    'print((0.1).hex(), float.fromhex("0x1.8p1"), round(2.675, 2), round(0.5), round(1.5), 1e16, 1e-7, 123456789.0 * 1000)',
    'print(f"{math.pi:10.4f}|{1234567.891:,.2f}|{0.000123:e}|{12.5:g}|{-0.0}|{2.5e-10:.3}")',
    'print(math.isqrt(10**20 + 1), math.floor(-2.5), math.ceil(-2.5), int(-2.9), float(2**53 + 1), math.nextafter(1.0, 2.0))',
  ]),
  py('strings', [
    'import unicodedata',
    's = "Hello, W\\u00f6rld \\u2603"',
    'print(s.upper(), s.lower(), s.casefold(), len(s), len(s.encode()), s.encode("utf-8"))',
    'print(s[::-1], s.split(", "), "-".join(["a", "b", "c"]), s.replace("l", "L", 2), s.find("W"), s.count("l"))',
    'print("{:>8}|{:<6}|{:^9}|{:08.3f}|{!r}".format("right", "left", "mid", 3.14159, "q"))',
    'print(unicodedata.name("\\u2603"), unicodedata.category("A"), "\\u00c5".encode("latin-1"), "stra\\u00dfe".upper())',
    'print(str(b"bytes\\xff", "latin-1"), "%5s|%-5d|%x|%o|%e" % ("ab", 42, 255, 8, 1234.5), ascii("\\u00e9"))',
  ]),
  py('collections', [
    'from collections import Counter, deque, defaultdict, OrderedDict, namedtuple',
    'import itertools, functools, heapq, bisect',
    'c = Counter("mississippi"); print(c.most_common(3), sorted(c.elements())[:5])',
    'd = deque(range(5)); d.rotate(2); d.appendleft(-1); print(list(d), d.pop())',
    'g = defaultdict(list)',
    'for w in "apple avocado banana blueberry cherry".split(): g[w[0]].append(w)',
    'print(dict(g))',
    'P = namedtuple("P", "x y"); print(P(1, 2), P(1, 2)._replace(y=5))',
    'print(list(itertools.permutations("abc", 2)), list(itertools.accumulate([1, 2, 3, 4], lambda a, b: a * b)))',
    'print(functools.reduce(lambda a, b: a * b, range(1, 11)), heapq.nsmallest(3, [5, 1, 8, 3, 9, 2]), bisect.bisect([1, 3, 5, 7], 4))',
    'print(sorted({"b": 2, "a": 3, "c": 1}.items(), key=lambda kv: kv[1]), OrderedDict(zip("xyz", range(3))))',
  ]),
  py('json-re', [
    'import json, re',
    'doc = json.loads(\'{"name": "rvscope", "tags": ["riscv", "emu"], "n": 3.5, "ok": true, "none": null}\')',
    'print(doc["tags"][1], doc["n"] * 2, doc["ok"], doc["none"])',
    'print(json.dumps(doc, sort_keys=True), json.dumps({"z": [1, {"a": "\\u00e9"}]}, indent=1, ensure_ascii=False))',
    'text = "2024-02-29 alice=90 bob=65 carol=72"',
    'print(re.findall(r"(\\w+)=(\\d+)", text), re.sub(r"(\\d+)-(\\d+)-(\\d+)", r"\\3/\\2/\\1", text))',
    'm = re.match(r"(?P<y>\\d{4})-(?P<m>\\d\\d)", text); print(m.group("y"), m.groupdict(), m.span())',
    'print(re.split(r"\\s*[,;]\\s*", "a , b;c ;d"), bool(re.fullmatch(r"[a-z]+\\d*", "abc123")))',
  ]),
  py('hashlib-zlib', [
    'import hashlib, zlib, binascii, base64',
    'data = b"the quick brown fox jumps over the lazy dog\\n" * 100',
    'for name in ("md5", "sha1", "sha256", "sha512", "sha3_256", "blake2b"): print(name, hashlib.new(name, data).hexdigest())',
    'z = zlib.compress(data, 9); print(len(z), zlib.decompress(z) == data, zlib.crc32(data), zlib.adler32(data))',
    'print(binascii.hexlify(b"\\x00\\xffrv"), base64.b64encode(b"riscv64"), base64.b32decode("MFRGG==="))',
  ]),
  py('classes-exceptions', [
    'from dataclasses import dataclass, field',
    '@dataclass(order=True)',
    'class Item:',
    '    price: float',
    '    name: str = field(compare=False)',
    'items = sorted([Item(3.5, "c"), Item(1.25, "a"), Item(2.0, "b")])',
    'print(items[0], [i.name for i in items])',
    'class Err(ValueError): pass',
    'def risky(n):',
    '    if n > 2: raise Err(f"too big: {n}")',
    '    return n',
    'for n in range(5):',
    '    try: print("ok", risky(n))',
    '    except ValueError as e: print("caught", type(e).__name__, e)',
    '    finally: pass',
    'try: {}["missing"]',
    'except KeyError as e: print("KeyError", e)',
    'def gen():',
    '    total = 0',
    '    while True:',
    '        x = yield total',
    '        total += x',
    'g = gen(); next(g); print([g.send(i) for i in range(1, 6)])',
  ]),
  py('uncaught-exception', ['def f(x):', '    return 1 / x', 'print("before")', 'f(0)']),
  py('sys-exit', 'import sys; print("exiting"); sys.stdout.flush(); sys.exit(5)'),
  py(
    'stdin',
    'import sys; lines = sys.stdin.read().splitlines(); print(len(lines), sorted(lines, key=len)[-1], lines[::-1][0])',
    {
      stdin: POEM,
    },
  ),
  py(
    'files',
    [
      'import os',
      'os.makedirs("d/sub")',
      'for name in ("b.txt", "a.txt", "sub/c.txt"):',
      '    with open(os.path.join("d", name), "w") as f: f.write(name.upper() + "\\n")',
      'print(sorted(os.listdir("d")), os.path.getsize("d/a.txt"), os.path.isdir("d/sub"))',
      'with open("out.txt", "w") as f: print("written", 42, file=f)',
      'print(open("d/sub/c.txt").read().strip(), os.path.exists("nope"))',
    ],
    { files: ['out.txt'] },
  ),
  py('random-seeded', [
    'import random',
    'random.seed(42)',
    'print(random.random(), random.randint(1, 1000), random.choice("abcdef"))',
    'l = list(range(10)); random.shuffle(l); print(l, random.sample(range(100), 3), round(random.gauss(0, 1), 12))',
  ]),
  py('datetime', [
    'import datetime, time, calendar',
    'd = datetime.date(2024, 2, 29)',
    'print(d + datetime.timedelta(days=365), d.isoweekday(), d.strftime("%A %d %B %Y %j"), d.isocalendar())',
    'dt = datetime.datetime(2000, 1, 1, 12, 30, tzinfo=datetime.timezone.utc)',
    'print(dt.isoformat(), dt.timestamp(), datetime.datetime.fromtimestamp(10**9, datetime.timezone.utc))',
    'print(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(1234567890)), calendar.isleap(2100), calendar.monthrange(2024, 2))',
  ]),
  py('threads', [
    'import threading',
    'results = [0] * 4',
    'lock = threading.Lock()',
    'total = [0]',
    'def work(i):',
    '    s = sum(k * k for k in range(i * 1000, (i + 1) * 1000))',
    '    results[i] = s',
    '    with lock: total[0] += s',
    'ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]',
    'for t in ts: t.start()',
    'for t in ts: t.join()',
    'print(results, total[0] == sum(results), threading.active_count())',
  ]),
  py('benchmark', [
    'def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)',
    'print(fib(20))',
    'N = 20000',
    'sieve = bytearray([1]) * N; sieve[0:2] = b"\\x00\\x00"',
    'for i in range(2, int(N ** 0.5) + 1):',
    '    if sieve[i]: sieve[i * i::i] = bytes(len(range(i * i, N, i)))',
    'primes = [i for i, p in enumerate(sieve) if p]',
    'print(len(primes), primes[-3:], sum(primes))',
    'print(sorted(str(i * 7919 % 10007) for i in range(5000))[:5])',
  ]),
  py('fork-wait', [
    'import os, sys',
    'pid = os.fork()',
    'if pid == 0:',
    '    print("child"); sys.stdout.flush(); os._exit(7)',
    'p, st = os.waitpid(pid, 0); print(p == pid, os.WIFEXITED(st), os.WEXITSTATUS(st))',
    'pid = os.fork()',
    'if pid == 0:',
    '    import time; time.sleep(10); os._exit(0)',
    'os.kill(pid, 9); p, st = os.waitpid(pid, 0); print(os.WIFSIGNALED(st), os.WTERMSIG(st))',
    'r, w = os.pipe()',
    'pid = os.fork()',
    'if pid == 0:',
    '    os.close(r); os.write(w, b"from child %d" % (os.getppid() > 1)); os._exit(0)',
    'os.close(w); print(os.read(r, 100), os.read(r, 100)); os.waitpid(pid, 0)',
    'try: os.waitpid(-1, 0)',
    'except ChildProcessError as e: print("ECHILD", e.errno)',
  ]),
  py('signals', [
    'import signal, os, sys, time, threading',
    'sys.stdout.reconfigure(line_buffering=True)',
    'got = []',
    'signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))',
    'os.kill(os.getpid(), signal.SIGUSR1); print(got)',
    'signal.signal(signal.SIGALRM, lambda s, f: got.append("alrm"))',
    'signal.setitimer(signal.ITIMER_REAL, 0.1); time.sleep(1); print(got)',
    'print(signal.getsignal(signal.SIGINT))',
    'signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])',
    'os.kill(os.getpid(), signal.SIGUSR2); print(signal.sigpending(), signal.sigwait([signal.SIGUSR2]))',
    'signal.pthread_kill(threading.get_ident(), signal.SIGUSR1); print(got)',
    'signal.signal(signal.SIGTERM, lambda s, f: sys.exit(3))',
    'os.kill(os.getpid(), signal.SIGTERM)',
  ]),
  py('keyboard-interrupt', [
    'import os, signal, traceback',
    'print("before", flush=True)',
    'try: os.kill(os.getpid(), signal.SIGINT); print("after")',
    'except KeyboardInterrupt: traceback.print_exc()',
    'signal.signal(signal.SIGINT, signal.SIG_IGN); os.kill(os.getpid(), signal.SIGINT); print("ignored")',
  ]),
  py('thread-sync', [
    'import threading',
    'lock = threading.Lock(); cond = threading.Condition(); ev = threading.Event(); bar = threading.Barrier(8)',
    'total = [0]; order = []',
    'def work(i):',
    '    for _ in range(1000):',
    '        with lock: total[0] += 1',
    '    bar.wait(); ev.wait()',
    '    with cond: order.append(i); cond.notify_all()',
    'ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]',
    'for t in ts: t.start()',
    'ev.set()',
    'with cond: cond.wait_for(lambda: len(order) == 8)',
    'for t in ts: t.join()',
    'print(total, sorted(order), threading.active_count())',
    's = threading.Semaphore(2); print(s.acquire(timeout=0.1), s.acquire(timeout=0.1), s.acquire(timeout=0.1))',
    't = threading.Timer(0.1, lambda: print("timer")); t.start(); t.join()',
  ]),
  py('socketpair', [
    'import socket, threading, os',
    'a, b = socket.socketpair(); print(a.family, a.type, a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))',
    'def echo():',
    '    while d := b.recv(100): b.sendall(d.upper())',
    '    b.close()',
    't = threading.Thread(target=echo); t.start()',
    'for w in ["abc", "hello"]:',
    '    a.sendall(w.encode()); print(a.recv(100))',
    'a.shutdown(socket.SHUT_WR); t.join(); print(a.recv(10)); a.close()',
    'x, y = socket.socketpair()',
    'pid = os.fork()',
    'if pid == 0:',
    '    x.close(); y.sendall(b"child says hi"); y.close(); os._exit(0)',
    'y.close(); print(x.recv(100), x.recv(100)); os.waitpid(pid, 0)',
    'c, d = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)',
    'c.send(b"one"); c.send(b"12345"); print(d.recv(100), d.recvfrom(3), c.getsockname(), c.getpeername())',
    'd.setblocking(False)',
    'try: d.recv(10)',
    'except BlockingIOError as e: print("again", e.errno)',
  ]),
  py('epoll-selectors', [
    'import os, select, selectors, threading, time',
    'r, w = os.pipe(); ep = select.epoll(); ep.register(r, select.EPOLLIN | select.EPOLLET)',
    'print(ep.poll(0)); os.write(w, b"a"); print(ep.poll(0), ep.poll(0)); os.write(w, b"b"); print(ep.poll(0))',
    'ep.modify(r, select.EPOLLIN | select.EPOLLONESHOT); print(ep.poll(0), ep.poll(0))',
    'ep.unregister(r)',
    'try: ep.unregister(r)',
    'except OSError as e: print("unregister", e.errno)',
    'os.close(w); ep.register(r, select.EPOLLIN); print(ep.poll(1))',
    'r2, w2 = os.pipe()',
    's = selectors.DefaultSelector(); print(type(s).__name__)',
    's.register(r2, selectors.EVENT_READ, "R"); print(s.select(0.05))',
    'def later(): time.sleep(0.2); os.write(w2, b"z")',
    'threading.Thread(target=later).start(); print([(k.data, ev) for k, ev in s.select(5)])',
  ]),
  run(
    'python3-env',
    'python3',
    [
      '-B',
      '-c',
      'import os, sys; print(os.environ["LANG"], os.environ.get("ZZ_CASE"), sys.argv[1:], sys.flags.dont_write_bytecode)',
      'x',
      'y z',
    ],
    {
      env: { ZZ_CASE: 'set' },
      timeoutMs: PYTHON_MS,
    },
  ),
]

export const debianCases: GuestCase[] = [
  ...busyboxApplets,
  ...busyboxShell,
  ...luaCases,
  ...coreutilsCases,
  ...sqliteCases,
  ...xzCases,
  ...pythonCases,
]
