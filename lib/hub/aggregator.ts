import { readCheckpoint, type Snapshot, takeSnapshot, writeCheckpoint } from './checkpoint.ts';
import { Ledger, type LedgerEntry, type Selection } from './ledger.ts';
import { buildReport } from './report.ts';
import type { AggregateReport } from './report-schema.ts';
import type { HubStore } from './store.ts';

const PAGE = 500;
/** How long a checkpoint waits for a moment without a submission in flight. */
const QUIET_WAIT_MS = 5000;

export interface AggregatorOptions {
  /** How long after a change the aggregate is checkpointed; 0: only by checkpoint() and close(). */
  checkpointMs?: number;
  log?: (line: string) => void;
}

/**
 * The hub's aggregate in memory: a Ledger filled from storage at start and kept current as each
 * submission commits. Deleting a project rebuilds it from storage (sums can be subtracted, but
 * the per-cell project sets behind the k-threshold cannot). Submissions that commit during a
 * rebuild are kept aside and added to the new ledger unless the rebuild already read them.
 *
 * A checkpoint (lib/hub/checkpoint.ts) stores the ledger now and then and at close, so a start
 * reads it and only the submissions after it, instead of re-reading every submission.
 */
export class Aggregator {
  #ledger: Ledger;
  #rebuild: { loaded: Set<number>; pending: { seq: number; entry: LedgerEntry }[] } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #reports = new Map<string, { ledger: Ledger; generation: number; report: AggregateReport }>();
  /** Highest seq in the ledger: with no submission in flight, it holds every one up to it. */
  #throughSeq = 0;
  /** Submissions between the start of their store and their addition here. */
  #inFlight = 0;
  #waiting: ((s: Snapshot) => void)[] = [];
  /** The next checkpoint rewrites everything (none yet, or the ledger was rebuilt). */
  #full = true;
  #savedProjects = 0;
  /** The stored checkpoint's point: the next one extends it. */
  #saved = { seq: 0, submissions: 0 };
  #changed = false;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  /** How start() loaded the aggregate: a checkpoint and the submissions after it, or every submission. */
  startedFrom: { checkpoint: boolean; submissions: number } = { checkpoint: false, submissions: 0 };
  readonly #checkpointMs: number;
  readonly #log: (line: string) => void;

  constructor(
    private readonly store: HubStore,
    readonly k: number,
    o: AggregatorOptions = {},
  ) {
    this.#ledger = new Ledger(k);
    this.#checkpointMs = o.checkpointMs ?? 0;
    this.#log = o.log ?? (() => undefined);
  }

  get ledger(): Ledger {
    return this.#ledger;
  }

  /** Loads the aggregate: the checkpoint and what came after it, or every submission. */
  async start(): Promise<void> {
    const loaded = await readCheckpoint(this.store.db, this.k).catch((error: unknown) => {
      this.#log(
        `learning hub: the aggregate checkpoint is unreadable, rebuilding: ${(error as Error).message}`,
      );
      return null;
    });
    if (!loaded) {
      await this.rebuild();
      this.startedFrom = { checkpoint: false, submissions: this.#ledger.select({}).submissions };
      return;
    }
    this.#ledger = loaded.ledger;
    this.#throughSeq = loaded.throughSeq;
    this.#savedProjects = loaded.projects;
    this.#saved = { seq: loaded.throughSeq, submissions: loaded.submissions };
    this.#full = false;
    this.#reports.clear();
    const newer = await this.#readInto(this.#ledger, loaded.throughSeq);
    this.startedFrom = { checkpoint: true, submissions: newer.count };
    if (newer.count > 0) {
      this.#throughSeq = newer.last;
      this.#changedNow();
    }
  }

  /**
   * Call before storing a submission and release after adding it: a checkpoint is taken only
   * while none is between the two, when the ledger holds exactly what is committed up to its seq.
   */
  hold(): () => void {
    this.#inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      if (this.#inFlight === 0 && this.#waiting.length > 0) {
        const snapshot = this.#snapshot();
        for (const w of this.#waiting.splice(0)) w(snapshot);
      }
    };
  }

  add(seq: number, entry: LedgerEntry): void {
    this.#ledger.add(entry);
    if (seq > this.#throughSeq) this.#throughSeq = seq;
    this.#rebuild?.pending.push({ seq, entry });
    this.#changedNow();
  }

  /** Reads every stored contribution into a fresh ledger, then swaps it in. One rebuild at a time. */
  rebuild(): Promise<void> {
    return this.#enqueue(() => this.#rebuildNow());
  }

  /** Stores the aggregate now (when something changed since the last time). */
  checkpoint(): Promise<void> {
    return this.#enqueue(() => this.#checkpointNow());
  }

  /** Writes a last checkpoint; call once no more submissions arrive. Never throws. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.checkpoint().catch((error: unknown) =>
      this.#log(`learning hub: cannot checkpoint the aggregate: ${(error as Error).message}`),
    );
  }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #changedNow(): void {
    this.#changed = true;
    if (this.#timer || this.#closed || this.#checkpointMs <= 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.checkpoint().catch((error: unknown) =>
        this.#log(`learning hub: cannot checkpoint the aggregate: ${(error as Error).message}`),
      );
    }, this.#checkpointMs);
    this.#timer.unref();
  }

  async #checkpointNow(): Promise<void> {
    if (!this.#changed && !this.#full) return;
    const snapshot = await this.#quietSnapshot();
    if (!snapshot) {
      // Never quiet for long (very many concurrent clients): try again later rather than hold up
      // a deletion queued behind this. close() always finds it quiet.
      this.#changedNow();
      return;
    }
    let written = false;
    try {
      written = await writeCheckpoint(this.store.db, this.k, snapshot, new Date());
    } finally {
      if (written) {
        this.#full = false;
        this.#savedProjects = snapshot.projectsFrom + snapshot.projectIds.length;
        this.#saved = { seq: snapshot.throughSeq, submissions: snapshot.submissions };
      } else {
        this.#ledger.unsaved(snapshot.days);
        this.#changedNow();
      }
    }
    if (!written)
      this.#log('learning hub: aggregate checkpoint skipped: the stored submissions changed meanwhile');
  }

  /** A snapshot as soon as no submission is in flight, or null after QUIET_WAIT_MS. */
  #quietSnapshot(): Promise<Snapshot | null> {
    if (this.#inFlight === 0) return Promise.resolve(this.#snapshot());
    return new Promise((resolve) => {
      const waiter = (s: Snapshot) => {
        clearTimeout(timer);
        resolve(s);
      };
      const timer = setTimeout(() => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        resolve(null);
      }, QUIET_WAIT_MS);
      this.#waiting.push(waiter);
    });
  }

  #snapshot(): Snapshot {
    const s = takeSnapshot(this.#ledger, {
      full: this.#full,
      throughSeq: this.#throughSeq,
      savedProjects: this.#savedProjects,
      since: this.#saved,
    });
    this.#changed = false;
    return s;
  }

  async #rebuildNow(): Promise<void> {
    const loaded = new Set<number>();
    this.#rebuild = { loaded, pending: [] };
    try {
      const next = new Ledger(this.k);
      const read = await this.#readInto(next, 0, loaded);
      let through = read.last;
      for (const p of this.#rebuild.pending)
        if (!loaded.has(p.seq)) {
          next.add(p.entry);
          through = Math.max(through, p.seq);
        }
      this.#ledger = next;
      this.#throughSeq = through;
      this.#full = true;
      this.#savedProjects = 0;
      this.#reports.clear();
      this.#changedNow();
    } finally {
      this.#rebuild = null;
    }
  }

  /** Adds the stored contributions after seq `after` to `ledger`, a page at a time. */
  async #readInto(
    ledger: Ledger,
    after: number,
    seen?: Set<number>,
  ): Promise<{ last: number; count: number }> {
    let last = after;
    let count = 0;
    for (;;) {
      const rows = await this.store.contributions(last, PAGE);
      for (const r of rows) {
        ledger.add({
          project: r.projectId,
          frameworkVersion: r.frameworkVersion,
          day: r.day,
          contribution: r.contribution,
        });
        seen?.add(r.seq);
        last = r.seq;
      }
      count += rows.length;
      if (rows.length < PAGE) return { last, count };
    }
  }

  /** The report for a selection, computed again only after the ledger changed. */
  report(s: Selection, now: Date): AggregateReport {
    const id = `${s.framework ?? ''}|${s.sinceDay ?? ''}|${s.untilDay ?? ''}`;
    const ledger = this.#ledger;
    const hit = this.#reports.get(id);
    if (hit && hit.ledger === ledger && hit.generation === ledger.generation) return hit.report;
    const report = buildReport(ledger, s, { k: this.k, now, dayOf: 'received' });
    if (this.#reports.size >= 32) this.#reports.clear();
    this.#reports.set(id, { ledger, generation: ledger.generation, report });
    return report;
  }
}
