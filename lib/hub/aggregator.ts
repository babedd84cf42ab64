import { readCheckpoint, type Snapshot, takeSnapshot, writeCheckpoint } from './checkpoint.ts';
import { Ledger, type LedgerEntry, type Selection } from './ledger.ts';
import { buildReport } from './report.ts';
import type { AggregateReport } from './report-schema.ts';
import type { HubStore } from './store.ts';

const PAGE = 500;
/** How long a checkpoint waits for a moment without a submission in flight. */
const QUIET_WAIT_MS = 5000;
/**
 * Submissions are added to the sums in batches, at most this long after they were acknowledged
 * (and at once before anything reads the sums): a batch is summed once and then added to its
 * day, version and overall sums, instead of each submission going into all three.
 */
const BATCH_MS = 50;
const BATCH_MAX = 512;

/** Thrown inside a rebuild that close() stopped. */
class Closed extends Error {}

export interface AggregatorOptions {
  /** How long after a change the aggregate is checkpointed; 0: only by checkpoint() and close(). */
  checkpointMs?: number;
  log?: (line: string) => void;
}

/**
 * The hub's aggregate in memory: a Ledger filled from storage at start and kept current as each
 * submission commits (in batches, see BATCH_MS). Deleting a project takes its submissions out
 * at once (Ledger.withdraw: counters exact, nothing of the project left, some extremes unknown),
 * then rebuilds the ledger from storage in the background to make it exact again. Submissions
 * that commit during a rebuild are kept aside and added to the new ledger unless the rebuild
 * already read them; a deletion during a rebuild makes it start over.
 *
 * A checkpoint (lib/hub/checkpoint.ts) stores the ledger now and then and at close, so a start
 * reads it and only the submissions after it, instead of re-reading every submission.
 */
export class Aggregator {
  #ledger: Ledger;
  #rebuild: { loaded: Set<number>; pending: { seq: number; entry: LedgerEntry }[] } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  /** Acknowledged submissions not yet in the ledger's sums, and their projects. */
  #batch: LedgerEntry[] = [];
  #batchProjects = new Set<string>();
  #batchTimer: NodeJS.Timeout | null = null;
  /** False from a deletion until the rebuild after it: the ledger must not be checkpointed. */
  #exact = true;
  /** Deletions so far: a rebuild that saw one happen meanwhile is thrown away. */
  #removals = 0;
  #rebuildQueued = false;
  /** Submissions between the start of their store and their addition here (see hold()), by number. */
  #holds = new Set<number>();
  #nextHold = 0;
  #holdWaiters: { ids: Set<number>; done: () => void }[] = [];
  #reports = new Map<string, { ledger: Ledger; generation: number; report: AggregateReport }>();
  /** Highest seq in the ledger: with no submission in flight, it holds every one up to it. */
  #throughSeq = 0;
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

  /** The ledger with every acknowledged submission in it. */
  get ledger(): Ledger {
    this.#flush();
    return this.#ledger;
  }

  /** Whether a project has submissions here (counting those not yet in the sums). */
  hasProject(project: string): boolean {
    return this.#batchProjects.has(project) || this.#ledger.hasProject(project);
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
    const id = this.#nextHold++;
    this.#holds.add(id);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds.delete(id);
      for (const w of this.#holdWaiters)
        if (w.ids.delete(id) && w.ids.size === 0) {
          this.#holdWaiters = this.#holdWaiters.filter((x) => x !== w);
          w.done();
        }
      if (this.#holds.size === 0 && this.#waiting.length > 0) {
        const snapshot = this.#snapshot();
        for (const w of this.#waiting.splice(0)) w(snapshot);
      }
    };
  }

  /** Adds a committed submission: to the sums within BATCH_MS, to every answer at once. */
  add(seq: number, entry: LedgerEntry): void {
    this.#batch.push(entry);
    this.#batchProjects.add(entry.project);
    if (seq > this.#throughSeq) this.#throughSeq = seq;
    this.#rebuild?.pending.push({ seq, entry });
    this.#changedNow();
    if (this.#batch.length >= BATCH_MAX) this.#flush();
    else if (!this.#batchTimer) {
      this.#batchTimer = setTimeout(() => {
        this.#batchTimer = null;
        this.#flush();
      }, BATCH_MS);
      this.#batchTimer.unref();
    }
  }

  /**
   * Takes a deleted project out: `entries` are all its submissions, as deleted. Returns once no
   * answer includes any of them; an exact rebuild from storage follows in the background.
   */
  async remove(project: string, entries: readonly LedgerEntry[]): Promise<void> {
    // A submission of this project that committed before the deletion may still be on its way
    // to add(): wait for those in flight now, so that it is in the ledger before it is taken out.
    await this.#settled();
    this.#flush();
    this.#ledger.withdraw(project, entries);
    this.#exact = false;
    this.#removals += 1;
    this.#rebuildSoon();
  }

  /** Resolves once no rebuild or checkpoint is queued or running (for tests and benchmarks). */
  async idle(): Promise<void> {
    let queue: Promise<unknown>;
    do {
      queue = this.#queue;
      await queue;
    } while (queue !== this.#queue);
  }

  /** Framework versions with at least one submission, in no particular order. */
  versions(): string[] {
    return this.ledger.versions();
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
    this.#flush();
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
    // After a deletion the ledger is not what storage holds until rebuilt: nothing to store.
    if ((!this.#changed && !this.#full) || !this.#exact) return;
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
    if (this.#holds.size === 0) return Promise.resolve(this.#snapshot());
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
    this.#flush();
    const s = takeSnapshot(this.#ledger, {
      full: this.#full,
      throughSeq: this.#throughSeq,
      savedProjects: this.#savedProjects,
      since: this.#saved,
    });
    this.#changed = false;
    return s;
  }

  /** Queues a rebuild unless one is queued already (a running one is not enough: see above). */
  #rebuildSoon(): void {
    if (this.#rebuildQueued) return;
    this.#rebuildQueued = true;
    this.#enqueue(() => {
      this.#rebuildQueued = false;
      return this.#rebuildNow();
    }).catch((error: unknown) => {
      if (!(error instanceof Closed))
        this.#log(`learning hub: cannot rebuild the aggregate: ${(error as Error).message}`);
    });
  }

  /** Resolves once every submission in flight now has been added (or has failed). */
  #settled(): Promise<void> {
    if (this.#holds.size === 0) return Promise.resolve();
    return new Promise((done) => this.#holdWaiters.push({ ids: new Set(this.#holds), done }));
  }

  /** Adds the batch of acknowledged submissions to the ledger's sums. */
  #flush(): void {
    if (this.#batchTimer) clearTimeout(this.#batchTimer);
    this.#batchTimer = null;
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#batchProjects.clear();
    this.#ledger.addAll(batch);
  }

  async #rebuildNow(): Promise<void> {
    this.#flush();
    const removals = this.#removals;
    const loaded = new Set<number>();
    this.#rebuild = { loaded, pending: [] };
    try {
      const next = new Ledger(this.k);
      const read = await this.#readInto(next, 0, loaded, true);
      // A project deleted meanwhile may be in what was read: the rebuild queued after it redoes this.
      if (this.#removals !== removals) return;
      let through = read.last;
      const late: LedgerEntry[] = [];
      for (const p of this.#rebuild.pending)
        if (!loaded.has(p.seq)) {
          late.push(p.entry);
          through = Math.max(through, p.seq);
        }
      next.addAll(late);
      // Everything in the batch was added during the rebuild, so it is in `late` or was read.
      this.#batch = [];
      this.#batchProjects.clear();
      this.#exact = true;
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
    stoppable = false,
  ): Promise<{ last: number; count: number }> {
    let last = after;
    let count = 0;
    for (;;) {
      // A rebuild in the background does not hold up a stop: the next start rebuilds.
      if (stoppable && this.#closed) throw new Closed('the hub is closing');
      const rows = await this.store.contributions(last, PAGE);
      ledger.addAll(rows);
      for (const r of rows) {
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
    const ledger = this.ledger;
    const hit = this.#reports.get(id);
    if (hit && hit.ledger === ledger && hit.generation === ledger.generation) return hit.report;
    const report = buildReport(ledger, s, { k: this.k, now, dayOf: 'received' });
    if (this.#reports.size >= 32) this.#reports.clear();
    this.#reports.set(id, { ledger, generation: ledger.generation, report });
    return report;
  }
}
