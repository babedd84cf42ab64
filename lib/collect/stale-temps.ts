import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../files/lock.ts';
import { PLUGIN_FILES } from '../files/plugin-dir.ts';

/** `atomicWriteFile`'s temp names (`.<file>.<pid>.<ms>.tmp`) of the files a collection writes under the lock. */
const TEMP = new RegExp(
  `^\\.(?:${[PLUGIN_FILES.state, PLUGIN_FILES.quickCheck].map((f) => f.replaceAll('.', '\\.')).join('|')})\\.(\\d+)\\.\\d+\\.tmp$`,
);

/**
 * Deletes the temp files of state (and fingerprint) writers that died before their rename (kill -9
 * mid-save): they are never read, only taking space. Called under the state lock, so no live writer
 * is mid-save.
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
