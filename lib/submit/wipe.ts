import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock } from '../files/lock.ts';
import { PLUGIN_FILES, pluginDir, pluginFile } from '../files/plugin-dir.ts';

/** Kept by a wipe: the consent record (it holds the revocation and any deletion key still unused) and the folder's .gitignore. */
const KEPT = new Set(['.gitignore', PLUGIN_FILES.consent, `${PLUGIN_FILES.consent}.lock`, PLUGIN_FILES.lock]);

/** What a wipe would delete: every other entry of the plugin folder (rollups, checkpoints, pseudonym key, outbox, receipts, log). */
export function wipeTargets(projectRoot: string): string[] {
  const dir = pluginDir(projectRoot);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => !KEPT.has(n))
    .sort();
}

/** Deletes the local learning data, holding the state lock so no collector writes meanwhile. */
export async function wipeLocalData(projectRoot: string): Promise<string[]> {
  const targets = wipeTargets(projectRoot);
  if (targets.length === 0) return [];
  const lock = await acquireLock(pluginFile(projectRoot, 'lock'), 10_000);
  try {
    for (const name of targets) rmSync(join(pluginDir(projectRoot), name), { recursive: true, force: true });
  } finally {
    lock.release();
  }
  return targets;
}
