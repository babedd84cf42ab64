import { Ledger, type LedgerEntry, type Selection } from './ledger.ts';
import { buildReport } from './report.ts';
import type { AggregateReport } from './report-schema.ts';
import type { HubStore } from './store.ts';

const PAGE = 500;

/**
 * The hub's aggregate in memory: a Ledger filled from storage at start and kept current as each
 * submission commits. Deleting a project rebuilds it from storage (sums can be subtracted, but
 * the per-cell project sets behind the k-threshold cannot). Submissions that commit during a
 * rebuild are kept aside and added to the new ledger unless the rebuild already read them.
 */
export class Aggregator {
  #ledger: Ledger;
  #rebuild: { loaded: Set<number>; pending: { seq: number; entry: LedgerEntry }[] } | null = null;
  #queue: Promise<void> = Promise.resolve();
  #reports = new Map<string, { ledger: Ledger; generation: number; report: AggregateReport }>();

  constructor(
    private readonly store: HubStore,
    readonly k: number,
  ) {
    this.#ledger = new Ledger(k);
  }

  get ledger(): Ledger {
    return this.#ledger;
  }

  add(seq: number, entry: LedgerEntry): void {
    this.#ledger.add(entry);
    this.#rebuild?.pending.push({ seq, entry });
  }

  /** Reads every stored contribution into a fresh ledger, then swaps it in. One rebuild at a time. */
  rebuild(): Promise<void> {
    const run = this.#queue.then(() => this.#rebuildNow());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #rebuildNow(): Promise<void> {
    const loaded = new Set<number>();
    this.#rebuild = { loaded, pending: [] };
    try {
      const next = new Ledger(this.k);
      let after = 0;
      for (;;) {
        const rows = await this.store.contributions(after, PAGE);
        for (const r of rows) {
          next.add({
            project: r.projectId,
            frameworkVersion: r.frameworkVersion,
            day: r.day,
            contribution: r.contribution,
          });
          loaded.add(r.seq);
          after = r.seq;
        }
        if (rows.length < PAGE) break;
      }
      for (const p of this.#rebuild.pending) if (!loaded.has(p.seq)) next.add(p.entry);
      this.#ledger = next;
      this.#reports.clear();
    } finally {
      this.#rebuild = null;
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
