import type { ConsultationEvent, TaskCompletedEvent, WorkflowCompletedEvent } from '../../schema/events.ts';
import type { Links } from '../../schema/links.ts';
import type { ConsultationObservation, Observation, TaskObservation } from '../../schema/observation.ts';
import type { Rollup } from '../../schema/rollup.ts';
import type { State } from '../../schema/state.ts';
import { acquireLock } from '../files/lock.ts';
import { ensurePluginDir, pluginFile } from '../files/plugin-dir.ts';
import { consultationFacts, stepFacts } from '../privacy/link-facts.ts';
import { observeConsultation, observeTask, observeWorkflow } from '../privacy/observe.ts';
import { createPseudonymizer, type Pseudonymize } from '../privacy/pseudonym.ts';
import { loadOrCreateSecret } from '../privacy/secret.ts';
import { add, addCalibration, addSecondOpinion, assessedBy } from './add.ts';
import { emptyRollup } from './empty.ts';
import { applyLinkChanges, decileOf, linkBook, offerConsultation, offerStep } from './link.ts';
import type { LinkBook } from './link-book.ts';
import { merge } from './merge.ts';
import { addSeen, seenIds } from './seen.ts';
import { loadState, saveState } from './state-file.ts';

export type EventKind = 'task' | 'workflow' | 'consultation';
export type RecordResult = 'added' | 'duplicate' | 'rejected';

/** Most event-id hashes kept for de-duplication; the oldest days go first. */
export const SEEN_LIMIT = 100_000;

interface Pending {
  rollup: Rollup;
  eventsSeen: number;
  duplicates: number;
  rejected: number;
  seen: Map<string, number>;
  /**
   * Per task id of this batch: the assessments already added (ASSESSED bits), and where the first
   * report counted the run (capability, day), which a second report's assessment joins.
   */
  assessed: Map<string, [bits: number, capability: string, day: number]>;
  /** The calibration join's book as this process sees it, and its changes to apply at flush. */
  links: LinkBook | undefined;
}

export interface FlushOptions {
  /** The caller already holds the state lock (collect holds it for its whole run). */
  locked?: boolean;
  /** How long to wait for another process's lock. */
  waitMs?: number;
  /** Changes saved in the same atomic write (checkpoints, store reports). */
  update?: (state: State) => void;
  /** With `locked`: the state file as the caller read it under that lock, so it is not decoded twice. */
  base?: State;
}

/**
 * The plugin's memory between events and the state file. Events are observed (allow-list) and added
 * to a pending rollup at once; flush() merges the pending rollup into the state file under the lock.
 * Because rollups merge, two processes recording at once lose nothing: each merges its own part.
 */
export class Recorder {
  #pseudonymize: Pseudonymize | undefined;
  /** The key the pending labels were made with, to notice a rotation by another process. */
  #keyHex: string | undefined;
  #pending: Pending = freshPending();
  /** The state file's seen blob, and the set made from it when the first event needs it. */
  #persistedSeen: Uint8Array | undefined;
  #seenSet: Set<string> | undefined;
  #persistedLinks: Links | undefined;

  constructor(
    readonly projectRoot: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get pseudonymize(): Pseudonymize {
    if (!this.#pseudonymize) {
      const secret = loadOrCreateSecret(this.projectRoot);
      this.#keyHex = Buffer.from(secret).toString('hex');
      this.#pseudonymize = createPseudonymizer(secret);
    }
    return this.#pseudonymize;
  }

  /** The project's id in exports: a pseudonym too, so it changes when the secret is rotated. */
  projectId(): string {
    return this.pseudonymize('project', 'id');
  }

  /** Forget the cached key, after `rotate-id`. */
  resetKey(): void {
    this.#pseudonymize = undefined;
    this.#keyHex = undefined;
  }

  get pendingEvents(): number {
    return this.#pending.eventsSeen;
  }

  get pendingRollup(): Rollup {
    return this.#pending.rollup;
  }

  record(
    kind: EventKind,
    event: TaskCompletedEvent | WorkflowCompletedEvent | ConsultationEvent,
  ): RecordResult {
    const p = this.#pending;
    p.eventsSeen += 1;
    const ctx = { pseudonymize: this.pseudonymize, now: this.clock() };
    let o: Observation | null = null;
    if (event && typeof event === 'object') {
      if (kind === 'task') o = observeTask(event as TaskCompletedEvent, ctx);
      else if (kind === 'workflow') o = observeWorkflow(event as WorkflowCompletedEvent, ctx);
      else o = observeConsultation(event as ConsultationEvent, ctx);
    }
    if (!o) {
      p.rejected += 1;
      return 'rejected';
    }
    const id =
      typeof event.id === 'string' && event.id !== ''
        ? this.pseudonymize(`event:${kind}`, event.id).slice(2)
        : null;
    if (id !== null) {
      if (p.seen.has(id) || this.#seenOnDisk().has(id)) {
        p.duplicates += 1;
        if (o.kind === 'task') this.#secondOpinion(id, o);
        return 'duplicate';
      }
      p.seen.set(id, o.day);
      if (o.kind === 'task') p.assessed.set(id, [assessedBy(o), o.capability, o.day]);
    }
    add(p.rollup, o);
    if (id !== null && o.kind !== 'workflow') this.#link(id, event, o);
    return 'added';
  }

  /**
   * A task reported again in this batch may assess what the first report did not (the learner's
   * memory adds a quality score and patterns to the step the event log reported): add only that.
   */
  #secondOpinion(id: string, o: TaskObservation): void {
    const p = this.#pending;
    const first = p.assessed.get(id);
    if (first === undefined) return;
    const missing = assessedBy(o) & ~first[0];
    if (missing === 0) return;
    // The stores may name the capability differently (`enhance` for `enhance_prompt`): the run's own cell.
    addSecondOpinion(p.rollup, { ...o, capability: first[1], day: first[2] }, missing);
    first[0] |= missing;
  }

  /** Calibration: a consultation meets the outcome of the step it advised (lib/rollup/link.ts). */
  #link(
    id: string,
    event: TaskCompletedEvent | WorkflowCompletedEvent | ConsultationEvent,
    o: TaskObservation | ConsultationObservation,
  ): void {
    const p = this.#pending;
    p.links ??= linkBook(this.#linksOnDisk());
    const now = this.clock().getTime();
    if (o.kind === 'consultation') {
      const f = consultationFacts(event as ConsultationEvent, this.pseudonymize);
      if (f.agent === undefined && f.step === undefined) return;
      const c = {
        id,
        domain: o.domain,
        decile: decileOf(f.combined ?? o.confidence),
        at: f.at ?? now,
        ...pick(f),
      };
      const outcome = offerConsultation(p.links, c);
      if (typeof outcome === 'boolean') addCalibration(p.rollup, c.domain, c.decile, outcome);
      return;
    }
    if (o.status === 'skipped') return;
    const f = stepFacts(event as TaskCompletedEvent, this.pseudonymize);
    if (!f || (f.start === undefined && f.step === undefined)) return;
    const s = { id, agent: f.agent, start: f.start ?? now, end: f.end ?? now, ok: o.status === 'success' };
    for (const c of offerStep(p.links, f.step === undefined ? s : { ...s, step: f.step })) {
      addCalibration(p.rollup, c.domain, c.decile, s.ok);
    }
  }

  /** Writes what was recorded into the state file (atomic, under the lock) and starts afresh. */
  async flush(o: FlushOptions = {}): Promise<State> {
    ensurePluginDir(this.projectRoot);
    const lock = o.locked
      ? null
      : await acquireLock(pluginFile(this.projectRoot, 'lock'), o.waitMs ?? 10_000);
    try {
      const state = o.locked && o.base ? o.base : loadState(this.projectRoot, this.clock()).state;
      if (this.#keyRotated()) {
        // `rotate-id` ran in another process: labels made with the old key must not join the new state.
        this.discard();
        this.resetKey();
        // A caller saving read positions with these events (collect) must not advance them past
        // events just dropped: it fails, and its next run reads them again under the new key.
        if (o.update) throw new KeyRotatedError();
      }
      const p = this.#pending;
      state.rollup = merge(state.rollup, p.rollup);
      state.eventsSeen += p.eventsSeen;
      state.duplicates += p.duplicates;
      state.rejected += p.rejected;
      if (p.seen.size > 0) state.seen = addSeen(state.seen, p.seen, SEEN_LIMIT);
      if (p.links)
        state.links = applyLinkChanges(state.links, p.links.toLinks(), p.links.added, p.links.settled);
      state.updatedAt = this.clock().toISOString();
      o.update?.(state);
      saveState(this.projectRoot, state);
      this.#pending = freshPending();
      this.#persistedSeen = state.seen;
      this.#seenSet = undefined;
      this.#persistedLinks = state.links;
      return state;
    } finally {
      lock?.release();
    }
  }

  /**
   * Starts a batch from a state the caller has just read under the lock (collect does), so the
   * duplicate check and the calibration book do not decode the state file a second time.
   */
  adopt(state: State): void {
    this.#persistedSeen = state.seen;
    this.#seenSet = undefined;
    this.#persistedLinks = state.links;
  }

  /** Drops what was recorded but not flushed (a failed collection that will be re-read). */
  discard(): void {
    this.#pending = freshPending();
    // Another process may have saved since: the next duplicate check reads the file again.
    this.#persistedSeen = undefined;
    this.#seenSet = undefined;
    this.#persistedLinks = undefined;
  }

  #keyRotated(): boolean {
    if (this.#keyHex === undefined) return false;
    return Buffer.from(loadOrCreateSecret(this.projectRoot)).toString('hex') !== this.#keyHex;
  }

  #seenOnDisk(): Set<string> {
    if (this.#persistedSeen === undefined) this.#readDisk();
    this.#seenSet ??= seenIds(this.#persistedSeen as Uint8Array);
    return this.#seenSet;
  }

  #linksOnDisk(): Links {
    if (this.#persistedLinks === undefined) this.#readDisk();
    return this.#persistedLinks as Links;
  }

  #readDisk(): void {
    const { state } = loadState(this.projectRoot, this.clock());
    this.#persistedSeen = state.seen;
    this.#seenSet = undefined;
    this.#persistedLinks = state.links;
  }
}

function freshPending(): Pending {
  return {
    rollup: emptyRollup(),
    eventsSeen: 0,
    duplicates: 0,
    rejected: 0,
    seen: new Map(),
    assessed: new Map(),
    links: undefined,
  };
}

/** The optional join keys that are set, so the waiting entry carries no `undefined` fields. */
function pick(f: { agent?: string; step?: string }): { agent?: string; step?: string } {
  const out: { agent?: string; step?: string } = {};
  if (f.agent !== undefined) out.agent = f.agent;
  if (f.step !== undefined) out.step = f.step;
  return out;
}

export class KeyRotatedError extends Error {
  constructor() {
    super(
      'the project key was rotated during this run (learning rotate-id); nothing was saved, run it again',
    );
    this.name = 'KeyRotatedError';
  }
}
