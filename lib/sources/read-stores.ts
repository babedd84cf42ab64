import * as v from 'valibot';
import { Checkpoints } from '../../schema/checkpoints.ts';
import { STORE_NAMES, type StoreName, type StoreStats } from '../../schema/stores.ts';
import { readAnalyticsAgents } from './analytics-agents.ts';
import { readAnalyticsWorkflows } from './analytics-workflows.ts';
import { readAudit } from './audit.ts';
import { readBuildCheckpoints } from './build-checkpoints.ts';
import { readCapabilities } from './capabilities.ts';
import { readConfidenceMetrics } from './confidence-metrics.ts';
import { type ProgressFn, RunContext } from './context.ts';
import { readCursorStates } from './cursor-state.ts';
import { readEpics } from './epic.ts';
import { readEventBus } from './event-bus.ts';
import { readEventLogs } from './event-log.ts';
import { readExecutions } from './executions.ts';
import { readExpertPerformance } from './expert-performance.ts';
import { zoneConverter } from './local-time.ts';
import { readMarkers } from './markers.ts';
import { readMemories } from './memories.ts';
import { readOutcomes } from './outcomes.ts';
import type { SourceRecord } from './source-record.ts';

const READERS: Record<StoreName, (ctx: RunContext) => Promise<void>> = {
  'event-log': readEventLogs,
  markers: readMarkers,
  'analytics-workflows': readAnalyticsWorkflows,
  'event-bus': readEventBus,
  'cursor-state': readCursorStates,
  'build-checkpoints': readBuildCheckpoints,
  epic: readEpics,
  audit: readAudit,
  executions: readExecutions,
  'analytics-agents': readAnalyticsAgents,
  'confidence-metrics': readConfidenceMetrics,
  'expert-performance': readExpertPerformance,
  capabilities: readCapabilities,
  memories: readMemories,
  outcomes: readOutcomes,
};

export interface ReadStoresOptions {
  /** `<projectRoot>/.tapps-agents`. */
  tappsDir: string;
  /** What the previous run returned; `{}` the first time. Never mutated. */
  checkpoints: Checkpoints;
  /** Called once per new event, in store order; awaited when it returns a promise. */
  onRecord: (r: SourceRecord) => void | Promise<void>;
  onProgress?: ProgressFn;
  /** IANA zone of the naive local timestamps the framework wrote; default: this process's zone. */
  timeZone?: string;
  /** Read only these stores (the others keep their checkpoints). Default: all, in STORE_NAMES order. */
  stores?: readonly StoreName[];
  /** The clock, for tests: decides when a young unparsable file is left for later. Default Date.now. */
  now?: () => number;
}

export interface ReadStoresResult {
  checkpoints: Checkpoints;
  stats: Record<StoreName, StoreStats>;
}

/**
 * Reads what the framework's stores gained since `checkpoints` and hands each new record to
 * `onRecord` as a host event. Returns the checkpoints to save together with whatever the events
 * produced (one atomic write): if the process dies before that write, the next run reads the same
 * records again from the old checkpoints. A malformed line or file is skipped and counted, never fatal.
 */
export async function readStores(opts: ReadStoresOptions): Promise<ReadStoresResult> {
  const parsed = v.safeParse(Checkpoints, opts.checkpoints);
  if (!parsed.success) {
    const at = v.getDotPath(parsed.issues[0]) ?? '(root)';
    throw new TypeError(`readStores: invalid checkpoints at ${at}: ${parsed.issues[0].message}`);
  }
  const ctx = new RunContext({
    tappsDir: opts.tappsDir,
    checkpoints: parsed.output,
    zone: zoneConverter(opts.timeZone),
    now: (opts.now ?? Date.now)(),
    onRecord: opts.onRecord,
    onProgress: opts.onProgress,
  });
  const only = opts.stores ? new Set(opts.stores) : undefined;
  for (const store of STORE_NAMES) {
    if (!only || only.has(store)) await READERS[store](ctx);
  }
  return { checkpoints: ctx.toCheckpoints(), stats: ctx.finalStats() };
}
