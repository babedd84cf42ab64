import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../files/lock.ts';

/** `atomicWriteFile`'s temp names: `.<file>.<pid>.<ms>.tmp`. */
const TEMP = /^\.state\.msgpack\.(\d+)\.\d+\.tmp$/;

/**
 * Deletes the state temp files of writers that died before their rename (kill -9 mid-save): they
 * are never read, only taking space. Called under the state lock, so no live writer is mid-save.
 */
export function removeStaleStateTemps(dir: string): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
      removed++;
    } catch {
      // Gone already.
    }
  }
  return removed;
}
