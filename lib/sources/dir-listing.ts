import { statSync } from 'node:fs';
import type { Listing } from '../../schema/checkpoints.ts';

/** What a reader needs of a directory entry: node:fs's Dirent, or one remembered from a listing. */
export interface Entry {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
}

/** A directory's change stamp: creating, removing or renaming an entry moves both times. */
export interface Stamp {
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * How long after its last change a directory must have been listed for its stamp to be trusted.
 * File times are coarse (a clock tick, a second on some file systems, skewed on network shares),
 * so an entry created just after a listing, within the same tick, can leave the stamp unchanged:
 * such a "racy" listing is read again next time (git's index works the same way).
 */
export const RACY_MS = 3000;

export function stampOf(path: string): Stamp | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? { mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** The listing still describes the directory: same stamp, taken long enough after its last change. */
export function stillValid(l: Listing, now: Stamp): boolean {
  return (
    l.mtimeMs === now.mtimeMs &&
    l.ctimeMs === now.ctimeMs &&
    l.listedAt - Math.max(l.mtimeMs, l.ctimeMs) > RACY_MS
  );
}

class Remembered implements Entry {
  constructor(
    readonly name: string,
    private readonly type: string,
  ) {}
  isFile(): boolean {
    return this.type === 'f';
  }
  isDirectory(): boolean {
    return this.type === 'd';
  }
}

/** The remembered entries; undefined when names and types do not pair up (a damaged listing). */
export function entriesOf(l: Listing): Entry[] | undefined {
  const names = l.names === '' ? [] : l.names.split('/');
  if (names.length !== l.types.length || names.includes('')) return undefined;
  return names.map((n, i) => new Remembered(n, l.types[i] as string));
}

export function listingOf(
  dir: string,
  key: string,
  stamp: Stamp,
  listedAt: number,
  entries: readonly Entry[],
  skipped: number,
): Listing {
  let types = '';
  for (const e of entries) types += e.isFile() ? 'f' : e.isDirectory() ? 'd' : 'o';
  return {
    dir,
    key,
    mtimeMs: stamp.mtimeMs,
    ctimeMs: stamp.ctimeMs,
    listedAt,
    names: entries.map((e) => e.name).join('/'),
    types,
    skipped,
  };
}
