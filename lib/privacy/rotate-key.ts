import type { State } from '../../schema/state.ts';
import { acquireLock } from '../files/lock.ts';
import { ensurePluginDir, pluginFile } from '../files/plugin-dir.ts';
import { emptyState, loadState, saveState } from '../rollup/state-file.ts';
import { checkpointsOf } from '../sources/checkpoint-pack.ts';
import { rotateSecret } from './secret.ts';

/**
 * What happens to the rollups when the pseudonym key is replaced. Every custom label in them was
 * keyed with the old secret, and pseudonyms are one-way, so they cannot be re-keyed: kept, they
 * would appear in the next export beside the new project id and link it to every earlier one.
 *
 * - `fresh` (default): the rollups and the de-duplication window are emptied, the store
 *   checkpoints are kept. Exports start over from the records the stores gain after the rotation:
 *   new labels, a new project id and no shared history, so nothing links them to earlier exports.
 *   The local history (dashboard) starts over too.
 * - `recollect`: the checkpoints are emptied as well; the next `learning collect` reads every store
 *   again under the new key. The history comes back with new labels, but its numbers (runs per
 *   week of each framework capability) are those of earlier exports, so a reader who holds both
 *   can still tell they come from one project. For a key that may have leaked, not for unlinkability.
 */
export type RotationMode = 'fresh' | 'recollect';

export interface Rotation {
  mode: RotationMode;
  /** Events the emptied rollups had counted. */
  eventsDropped: number;
  /** Store files whose checkpoints were kept (fresh) or emptied (recollect). */
  checkpoints: number;
}

/**
 * Empties the state as `mode` says, then replaces the key, under the state lock. In this order: a
 * crash in between leaves the old key with empty rollups (run it again), never the new key next
 * to old labels.
 */
export async function rotateProjectKey(
  projectRoot: string,
  mode: RotationMode,
  o: { now?: Date; waitMs?: number } = {},
): Promise<Rotation> {
  const now = o.now ?? new Date();
  ensurePluginDir(projectRoot);
  const lock = await acquireLock(pluginFile(projectRoot, 'lock'), o.waitMs ?? 10_000);
  try {
    const { state } = loadState(projectRoot, now);
    saveState(projectRoot, afterRotation(state, mode, now));
    rotateSecret(projectRoot);
    return {
      mode,
      eventsDropped: state.rollup.tasks + state.rollup.workflowRuns + state.rollup.consultationCount,
      checkpoints: storeFiles(state.checkpoints),
    };
  } finally {
    lock.release();
  }
}

/** The state to keep across a rotation: nothing keyed with the old secret. */
export function afterRotation(state: State, mode: RotationMode, now: Date): State {
  const fresh = emptyState(now);
  if (mode === 'recollect') return fresh;
  return {
    ...fresh,
    createdAt: state.createdAt,
    frameworkVersion: state.frameworkVersion,
    checkpoints: state.checkpoints,
    sources: state.sources,
    lastCollectAt: state.lastCollectAt,
  };
}

/** How many store files the checkpoints follow, whichever way they were saved. */
function storeFiles(field: unknown): number {
  try {
    return Object.keys(checkpointsOf(field).files ?? {}).length;
  } catch {
    // Not checkpoints lib/sources can read (a hand-made state): count its entries.
    return field && typeof field === 'object' ? Object.keys(field).length : 0;
  }
}
