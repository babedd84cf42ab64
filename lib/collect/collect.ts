import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { HealthCell } from '../../schema/rollup.ts';
import type { State, StoreReport } from '../../schema/state.ts';
import { MAX_PROBLEMS, STORE_NAMES, type StoreName, type StoreStats } from '../../schema/stores.ts';
import { acquireLock } from '../files/lock.ts';
import { ensurePluginDir, pluginDir, pluginFile } from '../files/plugin-dir.ts';
import type { LearningRuntime } from '../plugin.ts';
import { utcDay } from '../privacy/day.ts';
import { emptyHealth } from '../rollup/empty.ts';
import { loadState } from '../rollup/state-file.ts';
import type { ProgressFn } from '../sources/context.ts';
import { readStores } from '../sources/read-stores.ts';
import { removeStaleStateTemps } from './stale-temps.ts';

export interface CollectOptions {
  /** How long to wait for another collector's lock (ms); 0 gives up at once. */
  waitMs?: number;
  onProgress?: ProgressFn;
  /** What triggered the run (`session-end`, `workflow-complete`, `runner`, `watch`, `manual`). */
  trigger?: string;
  now?: () => Date;
}

export interface CollectResult {
  stats: Record<StoreName, StoreStats>;
  eventsAdded: number;
  state: State;
}

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
    const { state: before } = loadState(rt.projectRoot, now());
    recorder.adopt(before);
    const session = {
      sessionId: randomUUID(),
      projectRoot: rt.projectRoot,
      trigger: o.trigger ?? 'collect',
      startedAt: now().toISOString(),
    };
    await host.hooks.sessionStart.promise(session);
    let events = 0;
    const result = await readStores({
      tappsDir: join(rt.projectRoot, '.tapps-agents'),
      checkpoints: before.checkpoints as never,
      timeZone: rt.options.timeZone,
      onProgress: o.onProgress,
      onRecord: async (r) => {
        events++;
        if (r.kind === 'task') await host.hooks.taskCompleted.promise(r.event);
        else if (r.kind === 'workflow') await host.hooks.workflowCompleted.promise(r.event);
        else await host.hooks.consultationCompleted.promise(r.event);
      },
    });
    const state = await recorder.flush({
      locked: true,
      base: before,
      update: (s) => {
        s.checkpoints = result.checkpoints;
        s.sources = addReports(s.sources, result.stats);
        addHealth(s, result.stats);
        s.lastCollectAt = now().toISOString();
      },
    });
    // The plugin's own flush already ran; other plugins flush on sessionEnd as usual.
    await host.hooks.sessionEnd.promise(session);
    return { stats: result.stats, eventsAdded: events, state };
  } catch (error) {
    recorder.discard();
    throw error;
  } finally {
    lock.release();
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
