import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writevSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * lib/files/atomic-write.ts for a file given in pieces (same temp name, fsync, rename, folder
 * fsync): a state file patched in place is mostly slices of the one it replaces, and joining
 * megabytes into a fresh buffer first costs more than writing them.
 */
export function atomicWriteParts(path: string, parts: readonly Uint8Array[], mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    let pending = parts.filter((p) => p.byteLength > 0);
    while (pending.length > 0) {
      // writev may write less than asked: drop what went out and go on from there.
      let written = writevSync(fd, pending.slice(0, 1024));
      let i = 0;
      while (i < pending.length && written >= (pending[i] as Uint8Array).byteLength)
        written -= (pending[i++] as Uint8Array).byteLength;
      pending = pending.slice(i);
      if (written > 0) pending[0] = (pending[0] as Uint8Array).subarray(written);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(tmp);
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic there.
  }
}
