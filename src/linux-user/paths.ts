/**
 * Guest path → host path, as QEMU's linux-user does it: an absolute path is
 * looked up under the `-L` prefix first and used from there if it exists;
 * relative paths are relative to the process's working directory (or a
 * directory descriptor).
 *
 * Paths are joined, not normalized: `..` after a symbolic link and a
 * trailing `/` must reach the host kernel as the guest wrote them.
 */
import * as fs from 'node:fs'

export interface GuestPaths {
  sysroot?: string
}

/** `base/rel` with repeated slashes collapsed; `..`, `.` and a trailing slash kept for the host to resolve. */
export function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return rel
  const joined = base.endsWith('/') ? base + rel : `${base}/${rel}`
  return joined.replace(/\/{2,}/g, '/')
}

export function hostPathFor(paths: GuestPaths, base: string, guestPath: string): string {
  if (guestPath.startsWith('/')) {
    if (paths.sysroot !== undefined) {
      const candidate = joinPath(paths.sysroot.replace(/\/+$/, '') || '/', guestPath.replace(/^\/+/, ''))
      if (fs.existsSync(candidate)) return candidate
    }
    return guestPath
  }
  return joinPath(base, guestPath)
}
