import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HealthCell } from '../../schema/rollup.ts';
import type { State, StoreReport } from '../../schema/state.ts';
import { MAX_PROBLEMS, STORE_NAMES, type StoreName, type StoreStats } from '../../schema/stores.ts';
import { atomicWriteFile } from '../files/atomic-write.ts';
import { acquireLock } from '../files/lock.ts';
import { ensurePluginDir, pluginDir, pluginFile } from '../files/plugin-dir.ts';
import type { LearningRuntime } from '../plugin.ts';
import { utcDay } from '../privacy/day.ts';
import { emptyHealth } from '../rollup/empty.ts';
import { loadState } from '../rollup/state-file.ts';
import { checkpointField, packedField, packedOf } from '../sources/checkpoint-pack.ts';
import type { ProgressFn } from '../sources/context.ts';
import { type ReadStoresResult, readStores } from '../sources/read-stores.ts';
import { saveFingerprint } from './fingerprint.ts';
import { removeStaleStateTemps } from './stale-temps.ts';
import { patchState, peekState, type StatePatch } from './state-patch.ts';

export interface CollectOptions {
  /** How long to wait for another collector's lock (ms); 0 gives up at once. */
  waitMs?: number;
  onProgress?: ProgressFn;
  /** What triggered the run (`session-end`, `workflow-complete`, `runner`, `watch`, `manual`). */
  trigger?: string;
  now?: () => Date;
  /**
   * false: decode the whole state and save it through the recorder even when nothing is new (what
   * every run did before the patch); tests compare the two.
   */
  patch?: boolean;
}

export interface CollectResult {
  stats: Record<StoreName, StoreStats>;
  eventsAdded: number;
}

/** The checkpoints this run started from came from a state file that turned out damaged. */
class StartOver extends Error {}

/**
 * The adapter between the framework's stores and the host hooks: under the state lock, read what
 * the stores gained since the saved checkpoints, fire the hooks for each new record (the learning
 * plugin's taps turn them into rollups, other plugins see them too), then save the rollups and the
 * new checkpoints in ONE atomic write. Killed at any point, the next run starts from the old
 * checkpoints and the old rollups: nothing lost, nothing counted twice.
 */
export async function collect(rt: LearningRuntime, o: CollectOptions = {}): Promise<CollectResult> {
  const { host, recorder } = rt;
  const now = o.now ?? (() => new Date());
  ensurePluginDir(rt.projectRoot);
  const lock = await acquireLock(pluginFile(rt.projectRoot, 'lock'), o.waitMs ?? 0);
  try {
    removeStaleStateTemps(pluginDir(rt.projectRoot));
    recorder.discard();
    // Read the key afresh each run: `rotate-id` may have replaced it since (e.g. under `learning watch`).
    recorder.resetKey();
    const session = {
      sessionId: randomUUID(),
      projectRoot: rt.projectRoot,
      trigger: o.trigger ?? 'collect',
      startedAt: now().toISOString(),
    };
    await host.hooks.sessionStart.promise(session);
    let result: CollectResult;
    try {
      result = await collectLocked(rt, o, now);
    } catch (error) {
      if (!(error instanceof StartOver)) throw error;
      // The damaged file is set aside: read every store again into an empty state.
      recorder.discard();
      result = await collectLocked(rt, o, now);
    }
    // The plugin's own flush already ran; other plugins flush on sessionEnd as usual.
    await host.hooks.sessionEnd.promise(session);
    return result;
  } catch (error) {
    recorder.discard();
    throw error;
  } finally {
    lock.release();
  }
}

/**
 * One collection under the lock. The state file is decoded whole only when something is new: a run
 * that finds nothing reads the checkpoints and store reports alone, and rewrites just the fields it
 * changes (the clock, the reports, the checkpoints), every other byte copied as it was.
 */
async function collectLocked(
  rt: LearningRuntime,
  o: CollectOptions,
  now: () => Date,
): Promise<CollectResult> {
  const { host, recorder } = rt;
  const path = pluginFile(rt.projectRoot, 'state');
  const file = readIfPresent(path);
  const peek = file && peekState(file);
  let before: State | undefined;
  const whole = (): State => {
    if (!before) {
      const loaded = loadState(rt.projectRoot, now());
      before = loaded.state;
      recorder.adopt(before);
      if (peek && loaded.setAside) throw new StartOver();
    }
    return before;
  };
  let events = 0;
  let result: ReadStoresResult<Uint8Array>;
  const startedMs = Date.now();
  const looked = new Set<string>();
  try {
    result = await readStores({
      tappsDir: join(rt.projectRoot, '.tapps-agents'),
      looked,
      checkpoints: packedOf(peek ? peek.checkpoints : whole().checkpoints),
      timeZone: rt.options.timeZone,
      onProgress: o.onProgress,
      onRecord: async (r) => {
        // Before the first hook fires: a damaged file must not have its checkpoints used.
        whole();
        events++;
        if (r.kind === 'task') await host.hooks.taskCompleted.promise(r.event);
        else if (r.kind === 'workflow') await host.hooks.workflowCompleted.promise(r.event);
        else await host.hooks.consultationCompleted.promise(r.event);
      },
      // The same id again: the recorder adds only what it assesses (ids are the hook's dedup key).
      onAssessment: async (r) => {
        whole();
        await host.hooks.taskCompleted.promise(r.event);
      },
    });
  } catch (error) {
    // Unreadable checkpoints in a file never decoded whole: a damaged file is set aside (StartOver);
    // in an otherwise sound one they stay an error, as they always were.
    if (peek && !before) whole();
    throw error;
  }
  const at = now().toISOString();
  // After the state is saved: see saveFingerprint.
  const fingerprint = (settled: boolean) =>
    saveFingerprint(rt, { startedMs, looked, stats: result.stats, settled, collectedAt: at });
  if (
    o.patch !== false &&
    file &&
    peek &&
    events === 0 &&
    !before &&
    nothingRead(result.stats, peek.health)
  ) {
    // What the recorder's flush would save with no events, without decoding the rest of the file.
    const patch: StatePatch = {
      updatedAt: at,
      lastCollectAt: at,
      sources: addReports(peek.sources, result.stats),
    };
    // Checkpoints handed back unchanged are the very bytes of the file: they stay where they are.
    if (result.checkpoints !== packedField(peek.checkpoints))
      patch.checkpoints = checkpointField(result.checkpoints);
    atomicWriteFile(path, patchState(file, peek.spans, patch), 0o600);
    fingerprint(patch.checkpoints === undefined);
    return { stats: result.stats, eventsAdded: 0 };
  }
  await recorder.flush({
    locked: true,
    base: whole(),
    update: (s) => {
      s.checkpoints = checkpointField(result.checkpoints);
      s.sources = addReports(s.sources, result.stats);
      addHealth(s, result.stats);
      s.lastCollectAt = at;
    },
  });
  fingerprint(false);
  return { stats: result.stats, eventsAdded: events };
}

/** The stores gave nothing to count: no record, no skipped line, no store seen for the first time. */
function nothingRead(stats: Record<StoreName, StoreStats>, health: ReadonlySet<string>): boolean {
  for (const name of STORE_NAMES) {
    const s = stats[name];
    if (!s) continue;
    if (s.records > 0 || s.emitted > 0 || s.duplicates > 0 || s.skipped > 0 || s.problems.length > 0)
      return false;
    // addHealth gives a store present for the first time its (empty) health cell.
    if (s.present && !health.has(name)) return false;
  }
  return true;
}

function readIfPresent(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function addReports(prev: State['sources'], stats: Record<StoreName, StoreStats>): State['sources'] {
  const out: State['sources'] = { ...prev };
  for (const name of STORE_NAMES) {
    const s = stats[name];
    if (!s) continue;
    const p: StoreReport | undefined = Object.hasOwn(prev, name) ? prev[name] : undefined;
    out[name] = {
      present: s.present,
      files: s.files,
      records: (p?.records ?? 0) + s.records,
      emitted: (p?.emitted ?? 0) + s.emitted,
      duplicates: (p?.duplicates ?? 0) + s.duplicates,
      skipped: (p?.skipped ?? 0) + s.skipped,
      bytes: (p?.bytes ?? 0) + s.bytesRead,
      lastRunRecords: s.records,
      problems: [...s.problems, ...(p?.problems ?? [])].slice(0, MAX_PROBLEMS),
      lastRecordAt: s.lastRecordAt ?? p?.lastRecordAt ?? null,
    };
  }
  return out;
}

/** Store health enters the rollup as counters (records, skipped, newest day), so it merges too. */
function addHealth(state: State, stats: Record<StoreName, StoreStats>): void {
  for (const name of STORE_NAMES) {
    const s = stats[name];
    if (!s?.present) continue;
    const h: HealthCell = Object.hasOwn(state.rollup.health, name)
      ? (state.rollup.health[name] as HealthCell)
      : emptyHealth();
    h.records += s.records;
    h.skipped += s.skipped;
    const day = utcDay(s.lastRecordAt);
    if (day !== null && (h.lastDay === null || day > h.lastDay)) h.lastDay = day;
    state.rollup.health[name] = h;
  }
}
