import * as v from 'valibot';

/**
 * Where lib/sources stopped reading, so the next run reads only what is new. A collector saves the
 * returned value in the same atomic write as its rollups: a run killed before that write simply reads
 * again from the previous checkpoints, and nothing is lost or counted twice. `{}` means "never read".
 * File keys are paths relative to `.tapps-agents/` with `/` separators.
 */

const int = v.pipe(v.number(), v.integer(), v.minValue(0));
const day = int;

/** Per-step counter inside one event log: [step key, n]. */
const StepCount = v.tuple([v.string(), int]);

/** A step attempt that started and has no outcome line yet: [step id, attempt, raw start time]. */
const OpenAttempt = v.tuple([v.string(), int, v.string()]);

/** Step id → agent and action, as the event log named them (the audit log names neither). */
const StepAgent = v.tuple([v.string(), v.string(), v.string()]);

/**
 * What an event log needs to continue mid-file: the run in progress (a workflow id can be reused by
 * several runs when an epic restarts a story within the same second) and file-wide ordinals.
 */
export const EventLogState = v.object({
  /** Workflow outcomes emitted from this file so far. */
  outcomes: int,
  open: v.boolean(),
  /** The open run has step lines (a second `workflow_start` before any step is the same run). */
  hasSteps: v.boolean(),
  name: v.optional(v.string()),
  version: v.optional(v.string()),
  stepCount: v.optional(int),
  startedAt: v.optional(v.string()),
  lastAt: v.optional(v.string()),
  /** Attempts started per step in the open run. */
  attempts: v.array(StepCount),
  openAttempts: v.array(OpenAttempt),
  completed: int,
  failed: int,
  /** File-wide outcome ordinals per `<step>\n<ok|nok>`. */
  ordinals: v.array(StepCount),
  agents: v.array(StepAgent),
});

/** Capability registry entry as last seen, to infer runs from the next snapshot. */
export const CapabilityState = v.object({
  id: v.string(),
  usage: int,
  successRate: v.number(),
  duration: v.number(),
  quality: v.number(),
  /** Bumped when usage_count went down (registry reset): run ids restart in a new generation. */
  generation: int,
});

/** An append-only file: everything before `offset` was read. */
export const AppendFileCheckpoint = v.object({
  kind: v.literal('append'),
  size: int,
  mtimeMs: v.number(),
  offset: int,
  /** Complete lines before `offset`, for 1-based line numbers in problems. */
  lines: int,
  /** Hash of the first `headLen` bytes: a different head means the file was replaced or rotated. */
  head: v.string(),
  headLen: int,
  eventLog: v.optional(EventLogState),
  /** Epic memory: times each story has finished. */
  stories: v.optional(v.array(StepCount)),
  /** Written within RACY_MS of being read: size and mtime may hide a later write of the same tick. */
  racy: v.optional(v.literal(true)),
});

/** A file rewritten whole (or one file per record): re-read only when size, mtime or content changed. */
export const WholeFileCheckpoint = v.object({
  kind: v.literal('whole'),
  size: int,
  mtimeMs: v.number(),
  hash: v.string(),
  /** Versions of this file emitted so far (a FAILED marker rewritten by a second failure is a second failure). */
  n: v.optional(int),
  /** The last version read was a terminal workflow state. */
  terminal: v.optional(v.boolean()),
  capabilities: v.optional(v.array(CapabilityState)),
  /** Hashed keys already emitted or counted: memory task ids, confidence-metrics entries. */
  keys: v.optional(v.array(v.number())),
  /** Written within RACY_MS of being read: size and mtime may hide a later write of the same tick. */
  racy: v.optional(v.literal(true)),
});

/**
 * A file read to its end and finished for longer than the window (an event log whose run is over, a
 * terminal Cursor state): its reader never looks at it again, so nothing else about it is kept.
 */
export const DoneFileCheckpoint = v.object({ kind: v.literal('done') });

export const FileCheckpoint = v.variant('kind', [
  AppendFileCheckpoint,
  WholeFileCheckpoint,
  DoneFileCheckpoint,
]);

/** One segment of the rotating audit log, identified by its head (rotation renames files). */
export const AuditSegment = v.object({
  head: v.string(),
  headLen: int,
  offset: int,
  lines: int,
  size: int,
});

export const AuditCheckpoint = v.object({
  segments: v.array(AuditSegment),
  /** Hashes of the last distinct audit records: the framework writes each record N times. */
  recent: v.array(v.number()),
});

/** Event-bus files carry their UTC epoch in their name; files older than the watermark are done. */
export const BusCheckpoint = v.object({
  watermark: v.number(),
  /** Files at or after the watermark already read. */
  recent: v.array(v.string()),
});

/**
 * What a reader needs of a directory's entries while the directory is unchanged (same mtime and
 * ctime, listed long enough after its last change): the names it still has to look at (`/` never
 * occurs in a name) and how many it passed over for good. Saves re-listing folders of ten thousand
 * files on every run.
 */
export const Listing = v.object({
  /** Directory, relative to `.tapps-agents/`. */
  dir: v.string(),
  /** The reader that kept it (two readers can share a directory). */
  key: v.string(),
  mtimeMs: v.number(),
  ctimeMs: v.number(),
  /** This process's clock when the directory was read. */
  listedAt: v.number(),
  /** Names kept, joined with `/`. */
  names: v.string(),
  /** One letter per kept name: `f` file, `d` directory, `o` anything else. */
  types: v.string(),
  /** Entries the reader passed over for good (finished files): counted, not listed. */
  skipped: int,
});

/** Cross-file ordinals: [key, n, UTC day of last use]. Pruned with the de-duplication window. */
export const Counter = v.tuple([v.string(), int, day]);

/** Hashed ids of steps and workflows emitted on one UTC day, so another store cannot emit them again. */
export const SeenBucket = v.object({ day, ids: v.array(v.number()) });

export const Checkpoints = v.object({
  version: v.optional(v.literal(1)),
  files: v.optional(v.record(v.string(), FileCheckpoint)),
  /** Marker workflow directories: mtimeMs when last scanned. */
  dirs: v.optional(v.record(v.string(), v.number())),
  bus: v.optional(BusCheckpoint),
  audit: v.optional(AuditCheckpoint),
  counters: v.optional(v.array(Counter)),
  seen: v.optional(v.array(SeenBucket)),
  /** Newest UTC day emitted so far: the de-duplication window ends there. */
  newestDay: v.optional(day),
  listings: v.optional(v.array(Listing)),
});

export type EventLogState = v.InferOutput<typeof EventLogState>;
export type CapabilityState = v.InferOutput<typeof CapabilityState>;
export type AppendFileCheckpoint = v.InferOutput<typeof AppendFileCheckpoint>;
export type WholeFileCheckpoint = v.InferOutput<typeof WholeFileCheckpoint>;
export type DoneFileCheckpoint = v.InferOutput<typeof DoneFileCheckpoint>;
export type FileCheckpoint = v.InferOutput<typeof FileCheckpoint>;
export type Listing = v.InferOutput<typeof Listing>;
export type AuditSegment = v.InferOutput<typeof AuditSegment>;
export type AuditCheckpoint = v.InferOutput<typeof AuditCheckpoint>;
export type BusCheckpoint = v.InferOutput<typeof BusCheckpoint>;
export type Counter = v.InferOutput<typeof Counter>;
export type SeenBucket = v.InferOutput<typeof SeenBucket>;
export type Checkpoints = v.InferOutput<typeof Checkpoints>;
