/**
 * Guest path → host path, as QEMU's linux-user does it: an absolute path is
 * looked up under the `-L` prefix first and used from there if it exists;
 * relative paths are relative to the process's working directory (or a
 * directory descriptor).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'

export interface GuestPaths {
  sysroot?: string
}

export function hostPathFor(paths: GuestPaths, base: string, guestPath: string): string {
  if (guestPath.startsWith('/')) {
    if (paths.sysroot !== undefined) {
      const candidate = path.join(paths.sysroot, guestPath)
      if (fs.existsSync(candidate)) return candidate
    }
    return guestPath
  }
  return path.resolve(base, guestPath)
}
