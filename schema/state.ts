import * as v from 'valibot';
import { seenFromMap } from '../lib/rollup/seen.ts';
import { Links } from './links.ts';
import { Rollup } from './rollup.ts';
import { StoreProblem } from './stores.ts';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** What collection has read from one store, added up over every run (shown by `learning status`). */
export const StoreReport = v.object({
  present: v.boolean(),
  files: count,
  records: count,
  emitted: count,
  duplicates: count,
  skipped: count,
  bytes: count,
  /** Records the last run read: 0 when nothing was new. */
  lastRunRecords: count,
  /** Where malformed records were skipped (store-relative path and line, never their content), newest first. */
  problems: v.array(StoreProblem),
  lastRecordAt: v.nullable(v.string()),
});

/**
 * The plugin's local state file (`.tapps-agents/learning-plugin/state.msgpack`). It never leaves the
 * machine; exports are built from `rollup` alone. Checkpoints are saved in the same atomic write as
 * the rollup, so a crash can neither lose nor double-count a store record.
 */
export const State = v.object({
  schemaVersion: v.literal(1),
  createdAt: v.string(),
  updatedAt: v.string(),
  /** Events the hooks delivered, duplicates and rejected ones included. */
  eventsSeen: count,
  duplicates: count,
  /** Events that could not be observed (missing agent, bad status…). */
  rejected: count,
  frameworkVersion: v.nullable(v.string()),
  rollup: Rollup,
  /** Per store file, owned by lib/sources. */
  checkpoints: v.record(v.string(), v.unknown()),
  /**
   * Keyed hashes of recent event ids with their UTC day, to count a task reported by two stores
   * once: 10-byte records (lib/rollup/seen.ts). A state file from before the blob holds an
   * id → day map, converted on load.
   */
  seen: v.union([v.instance(Uint8Array), v.pipe(v.record(v.string(), count), v.transform(seenFromMap))]),
  /** Consultations and steps waiting for the other side of the calibration join. */
  links: v.optional(Links, () => ({ consultations: [], steps: [] })),
  /** Per store, what the last collection read. */
  sources: v.record(v.string(), StoreReport),
  lastCollectAt: v.nullable(v.string()),
});

export type State = v.InferOutput<typeof State>;
export type StoreReport = v.InferOutput<typeof StoreReport>;
