/**
 * The `-d` debug log: a set of enabled items (QEMU's mask names) and a sink
 * (stderr, or the `-D` file). Items cost nothing when disabled: callers
 * test `log.on.has(item)` or keep a boolean.
 */

/** Log items understood by `-d`, with QEMU's names and meanings. */
export const LOG_ITEMS: Readonly<Record<string, string>> = {
  in_asm: 'show target assembly code for each compiled TB',
  op: 'show the IR of each compiled TB',
  exec: 'show trace before each executed TB (lots of logs)',
  cpu: 'show CPU registers before entering a TB (lots of logs)',
  int: 'show exceptions (faults, traps, system calls) as they happen',
  unimp: 'log unimplemented functionality (system calls)',
  strace: 'log every system call and its result',
  plugin: 'output from TCG plugins',
  nochain: 'do not chain compiled TBs so that "exec" and "cpu" show complete traces',
  page: 'dump pages at beginning of user mode emulation',
}

export class Log {
  readonly on = new Set<string>()
  constructor(private readonly sink: (text: string) => void) {}

  write(text: string): void {
    this.sink(text)
  }
}

/**
 * Parse a `-d` mask list: comma-separated item names. Returns the items, or
 * an error message naming the bad item.
 */
export function parseLogMask(spec: string): string[] | { error: string } {
  const items = spec.split(',').filter((s) => s !== '')
  for (const it of items)
    if (!(it in LOG_ITEMS)) return { error: `unknown -d log item '${it}' (try -d help)` }
  return items
}

export function logHelp(): string {
  const width = Math.max(...Object.keys(LOG_ITEMS).map((k) => k.length))
  return `Log items (comma separated):\n${Object.entries(LOG_ITEMS)
    .map(([k, v]) => `${k.padEnd(width)} ${v}`)
    .join('\n')}\n`
}
