import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writevSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` so a reader sees the old file or the new one, never a mix: temp file in the same
 * folder, fsync, rename, fsync of the folder. A crash at any point leaves the old file intact.
 * `data` may come in pieces: a state file patched in place is mostly slices of the one it
 * replaces, and joining megabytes into a fresh buffer first costs more than writing them.
 */
export function atomicWriteFile(
  path: string,
  data: Uint8Array | string | readonly Uint8Array[],
  mode = 0o644,
): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeAll(fd, typeof data === 'string' ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(tmp);
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
  syncDir(dirname(path));
}

function writeAll(fd: number, parts: readonly Uint8Array[]): void {
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
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still atomic there.
  }
}
