import type { Checkpoints } from '../../schema/checkpoints.ts';
import { STORE_NAMES, type StoreName, type StoreStats } from '../../schema/stores.ts';
import { readAnalyticsAgents } from './analytics-agents.ts';
import { readAnalyticsWorkflows } from './analytics-workflows.ts';
import { readAudit } from './audit.ts';
import { readBuildCheckpoints } from './build-checkpoints.ts';
import { readCapabilities } from './capabilities.ts';
import { PackedCheckpoints, toPacked, unpackCheckpoints } from './checkpoint-pack.ts';
import { readConfidenceMetrics } from './confidence-metrics.ts';
import { type ProgressFn, RunContext } from './context.ts';
import { readCursorStates } from './cursor-state.ts';
import { readEpics } from './epic.ts';
import { readEventBus } from './event-bus.ts';
import { readEventLogs } from './event-log.ts';
import { readExecutions } from './executions.ts';
import { readExpertPerformance } from './expert-performance.ts';
import { type ZoneConverter, zoneConverter } from './local-time.ts';
import { readMarkers } from './markers.ts';
import { readMemories } from './memories.ts';
import { readOutcomes } from './outcomes.ts';
import { PackError } from './pack-container.ts';
import type { SourceRecord, TaskRecord } from './source-record.ts';

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
  memories: readMemories,
  capabilities: readCapabilities,
  outcomes: readOutcomes,
};

export interface ReadStoresOptions {
  /** `<projectRoot>/.tapps-agents`. */
  tappsDir: string;
  /**
   * What the previous run returned; `{}` the first time. Never mutated. Packed checkpoints (bytes,
   * what a collector saves) come back packed and are unpacked only as far as the readers need.
   */
  checkpoints: Checkpoints | Uint8Array;
  /** Called once per new event, in store order; awaited when it returns a promise. */
  onRecord: (r: SourceRecord) => void | Promise<void>;
  /**
   * A task already emitted this run, reported again by a store that may assess it where the first
   * report did not (the learner's memory gives a quality score and patterns to a step the event log
   * reported). A rollup adds only the assessment (the recorder's second opinion); ignore it to count runs.
   */
  onAssessment?: (r: TaskRecord) => void | Promise<void>;
  onProgress?: ProgressFn;
  /** IANA zone of the naive local timestamps the framework wrote; default: this process's zone. */
  timeZone?: string;
  /** Read only these stores (the others keep their checkpoints). Default: all, in STORE_NAMES order. */
  stores?: readonly StoreName[];
  /** The clock, for tests: decides when a young unparsable file is left for later. Default Date.now. */
  now?: () => number;
  /** Filled with every path (relative to tappsDir) a reader looked at, found or not: what the result depends on. */
  looked?: Set<string>;
}

export interface ReadStoresResult<C = Checkpoints> {
  checkpoints: C;
  stats: Record<StoreName, StoreStats>;
}

/**
 * Reads what the framework's stores gained since `checkpoints` and hands each new record to
 * `onRecord` as a host event. Returns the checkpoints to save together with whatever the events
 * produced (one atomic write): if the process dies before that write, the next run reads the same
 * records again from the old checkpoints. A malformed line or file is skipped and counted, never fatal.
 */
export async function readStores(
  opts: ReadStoresOptions & { checkpoints: Uint8Array },
): Promise<ReadStoresResult<Uint8Array>>;
export async function readStores(opts: ReadStoresOptions): Promise<ReadStoresResult>;
export async function readStores(
  opts: ReadStoresOptions,
): Promise<ReadStoresResult<Checkpoints | Uint8Array>> {
  const packed = toPacked(opts.checkpoints);
  try {
    const ctx = new RunContext({
      tappsDir: opts.tappsDir,
      checkpoints: new PackedCheckpoints(packed),
      zone: lazyZone(opts.timeZone),
      now: (opts.now ?? Date.now)(),
      onRecord: opts.onRecord,
      onAssessment: opts.onAssessment,
      onProgress: opts.onProgress,
      looked: opts.looked,
    });
    const only = opts.stores ? new Set(opts.stores) : undefined;
    for (const store of STORE_NAMES) {
      if (!only || only.has(store)) await READERS[store](ctx);
    }
    const out = ctx.toPacked();
    const checkpoints = opts.checkpoints instanceof Uint8Array ? out : unpackCheckpoints(out);
    return { checkpoints, stats: ctx.finalStats() };
  } catch (error) {
    // A section unpacked half-way through the run was damaged: the same error as a bad object.
    if (error instanceof PackError) throw new TypeError(`readStores: invalid checkpoints: ${error.message}`);
    throw error;
  }
}

/**
 * The zone converter, made on first use: a bad zone name then fails the run that needs it (a
 * RangeError, as before), and a run without naive timestamps never starts ICU.
 */
function lazyZone(timeZone: string | undefined): () => ZoneConverter {
  let zone: ZoneConverter | undefined;
  return () => {
    zone ??= zoneConverter(timeZone);
    return zone;
  };
}
