import * as v from 'valibot';

/**
 * The TappsCodingAgents stores lib/sources reads (tapps-data-formats.md, sections 2 and 5), in the
 * order they are read. The order is the de-duplication priority: a step or workflow reported by
 * several stores is emitted from the first one that has it, so the richest store comes first.
 */
export const STORE_NAMES = [
  'event-log',
  'markers',
  'analytics-workflows',
  'event-bus',
  'cursor-state',
  'build-checkpoints',
  'epic',
  'audit',
  'executions',
  'analytics-agents',
  'confidence-metrics',
  'expert-performance',
  'memories',
  'capabilities',
  'outcomes',
] as const;

export const StoreName = v.picklist(STORE_NAMES);
export type StoreName = v.InferOutput<typeof StoreName>;

/** LIVE: a stock install writes it in normal use. DORMANT: a writer exists, only custom code calls it. */
export const StoreStatus = v.picklist(['live', 'dormant']);
export type StoreStatus = v.InferOutput<typeof StoreStatus>;

export interface StoreInfo {
  readonly status: StoreStatus;
  /** Paths relative to `.tapps-agents/`. */
  readonly paths: readonly string[];
}

export const STORES: Readonly<Record<StoreName, StoreInfo>> = {
  'event-log': {
    status: 'live',
    paths: [
      'workflow-state/events/<wf>.events.jsonl',
      'workflow-state/<wf>/SESSION_HANDOFF.md',
      'workflow-state/<wf>.meta.json',
    ],
  },
  markers: { status: 'live', paths: ['workflows/markers/<wf>/step-<id>/DONE.json', '…/FAILED.json'] },
  'analytics-workflows': { status: 'live', paths: ['analytics/history/workflows-YYYY-MM-DD.jsonl'] },
  'event-bus': { status: 'live', paths: ['events/<wf>-<epoch>-<event_type>.json'] },
  'cursor-state': { status: 'live', paths: ['workflow-state/<wf>.json'] },
  'build-checkpoints': {
    status: 'live',
    paths: [
      'workflow-state/build-<ts>/checkpoints/step<N>-<agent>.json',
      'workflow-state/build-<ts>/SESSION_HANDOFF.md',
    ],
  },
  epic: { status: 'live', paths: ['epic-state/epic-<N>-memory.jsonl', 'epic-state/epic-<N>.json'] },
  audit: { status: 'live', paths: ['audit/execution_audit.log', 'audit/execution_audit.log.1 … .5'] },
  executions: { status: 'dormant', paths: ['metrics/executions_YYYY-MM-DD.jsonl'] },
  'analytics-agents': { status: 'dormant', paths: ['analytics/history/agents-YYYY-MM-DD.jsonl'] },
  'confidence-metrics': { status: 'live', paths: ['confidence_metrics.json'] },
  'expert-performance': { status: 'live', paths: ['learning/expert_performance.jsonl'] },
  capabilities: { status: 'dormant', paths: ['capabilities/capabilities.json'] },
  memories: { status: 'dormant', paths: ['memory/memories.json'] },
  outcomes: { status: 'dormant', paths: ['learning/outcomes.jsonl'] },
};

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** Where a malformed record was skipped: path relative to `.tapps-agents/` and 1-based line, never content. */
export const StoreProblem = v.object({
  path: v.string(),
  line: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  reason: v.string(),
});

/** What one `readStores` run did with one store. */
export const StoreStats = v.object({
  /** The store has at least one file. */
  present: v.boolean(),
  files: count,
  /** Bytes read this run, and the size of what there was to read (for progress). */
  bytesRead: count,
  bytesTotal: count,
  /** Records read this run: lines, entries, or files for one-file-per-record stores. */
  records: count,
  emitted: count,
  /** Events not emitted because another store (or an earlier run) already reported the same id. */
  duplicates: count,
  /** Malformed lines or files skipped. */
  skipped: count,
  /** The first skipped locations (capped). */
  problems: v.array(StoreProblem),
  /** UTC time of the newest record emitted this run. */
  lastRecordAt: v.optional(v.string()),
});

export const MAX_PROBLEMS = 20;

export type StoreProblem = v.InferOutput<typeof StoreProblem>;
export type StoreStats = v.InferOutput<typeof StoreStats>;
