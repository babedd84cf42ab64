import type { Rollup } from '../../schema/rollup.ts';
import { emptyRollup } from '../rollup/empty.ts';
import { accumulate } from './accumulate.ts';
import { cellKeysOf } from './cells.ts';
import { cellCap, Scope } from './scope.ts';

/** One (framework version, day) sum: what the hub's checkpoint stores. */
export interface DayScope {
  frameworkVersion: string;
  day: number;
  scope: Scope;
}

export interface LedgerEntry {
  project: string;
  frameworkVersion: string;
  /** UTC day number the submission is filed under (received, or created for offline files). */
  day: number;
  contribution: Rollup;
}

export interface Window {
  sinceDay?: number;
  untilDay?: number;
}

export interface Selection extends Window {
  framework?: string;
}

/**
 * Every contribution, summed three ways as it arrives: overall, per framework version, and per
 * (version, day). The overall and per-version aggregates are then ready at once whatever the number
 * of submissions (merging them per request would cost as much as all the data); a date window adds
 * up the days inside it, cached until the next change. A project's deletion takes its entries
 * out (withdraw()). The per-day sums hold everything (the others are their sums),
 * so they, with the project ids, are what a checkpoint stores; it rewrites only the days changed
 * since the last one.
 */
export class Ledger {
  readonly #cap: number;
  readonly #global: Scope;
  #versions = new Map<string, Scope>();
  #days = new Map<string, Map<number, Scope>>();
  #projectIds = new Map<string, number>();
  #generation = 0;
  #cache = new Map<string, { generation: number; scope: Scope }>();
  #changed = new Set<Scope>();

  constructor(readonly k: number) {
    this.#cap = cellCap(k);
    this.#global = new Scope(this.#cap);
  }

  get generation(): number {
    return this.#generation;
  }

  add(e: LedgerEntry): void {
    const project = this.#projectNumber(e.project);
    const keys = cellKeysOf(e.contribution);
    this.#global.add(project, e.contribution, keys);
    this.#scopeOf(this.#versions, e.frameworkVersion).add(project, e.contribution, keys);
    const day = this.#scopeOf(this.#daysOf(e.frameworkVersion), e.day);
    day.add(project, e.contribution, keys);
    this.#changed.add(day);
    this.#generation += 1;
  }

  /**
   * add() for many entries at once, for the same result at a fraction of the cost: the entries of
   * each (version, day) are summed once, and that sum goes into the day, version and overall
   * sums (instead of every entry going into all three). The hub adds what arrived in the last
   * few milliseconds this way; a rebuild adds a page of stored submissions.
   */
  addAll(entries: readonly LedgerEntry[]): void {
    if (entries.length <= 1) {
      if (entries[0]) this.add(entries[0]);
      return;
    }
    const batches = new Map<string, Map<number, Scope>>();
    for (const e of entries) {
      const project = this.#projectNumber(e.project);
      const days = entryOf(batches, e.frameworkVersion, () => new Map<number, Scope>());
      this.#scopeOf(days, e.day).add(project, e.contribution, cellKeysOf(e.contribution));
    }
    for (const [version, days] of batches) {
      const byVersion = this.#scopeOf(this.#versions, version);
      const ledgerDays = this.#daysOf(version);
      for (const [day, batch] of days) {
        const scope = this.#scopeOf(ledgerDays, day);
        scope.absorb(batch);
        byVersion.absorb(batch);
        this.#global.absorb(batch);
        this.#changed.add(scope);
      }
    }
    this.#generation += 1;
  }

  /**
   * Takes a deleted project's entries (every one it had) out of the sums, at the cost of its own
   * entries only. Counters and project counts are then exact; an extreme it may have set is
   * unknown and a cell's project list may be short (Scope.withdraw), until the ledger is built
   * again from storage. Nothing of the project remains.
   */
  withdraw(project: string, entries: readonly LedgerEntry[]): void {
    const number = this.#projectIds.get(project);
    if (number === undefined || entries.length === 0) return;
    type Part = { sum: Rollup; keys: Set<string>; submissions: number };
    const part = (): Part => ({ sum: emptyRollup(), keys: new Set(), submissions: 0 });
    const into = (p: Part, e: LedgerEntry) => {
      accumulate(p.sum, e.contribution);
      for (const key of cellKeysOf(e.contribution)) p.keys.add(key);
      p.submissions += 1;
    };
    const all = part();
    const versions = new Map<string, { whole: Part; days: Map<number, Part> }>();
    for (const e of entries) {
      const v = entryOf(versions, e.frameworkVersion, () => ({
        whole: part(),
        days: new Map<number, Part>(),
      }));
      into(entryOf(v.days, e.day, part), e);
      into(v.whole, e);
      into(all, e);
    }
    const out = (scope: Scope, p: Part) => scope.withdraw(number, p.sum, p.keys, p.submissions);
    for (const [version, v] of versions) {
      const byVersion = this.#versions.get(version);
      const days = this.#days.get(version);
      for (const [day, p] of v.days) {
        const scope = days?.get(day);
        if (!scope) continue;
        out(scope, p);
        // Gone entirely when nothing else is left: as if it had never been added.
        if (scope.submissions <= 0) days?.delete(day);
        else this.#changed.add(scope);
      }
      if (byVersion) out(byVersion, v.whole);
      if (byVersion && byVersion.submissions <= 0) {
        this.#versions.delete(version);
        this.#days.delete(version);
      }
    }
    out(this.#global, all);
    this.#cache.clear();
    this.#generation += 1;
  }

  /** A ledger from the per-day sums and project ids a checkpoint stored. */
  static restore(k: number, projectIds: readonly string[], days: readonly DayScope[]): Ledger {
    const l = new Ledger(k);
    for (const id of projectIds) l.#projectNumber(id);
    for (const d of days) {
      l.#daysOf(d.frameworkVersion).set(d.day, d.scope);
      l.#scopeOf(l.#versions, d.frameworkVersion).absorb(d.scope);
    }
    for (const v of l.#versions.values()) l.#global.absorb(v);
    l.#generation = 1;
    return l;
  }

  /** Every per-day sum, or only those changed since the last call (which starts the next round). */
  days(changedOnly: boolean): DayScope[] {
    const out: DayScope[] = [];
    for (const [frameworkVersion, byDay] of this.#days)
      for (const [day, scope] of byDay)
        if (!changedOnly || this.#changed.has(scope)) out.push({ frameworkVersion, day, scope });
    this.#changed.clear();
    return out;
  }

  /** Marks days as changed again (their checkpoint was not written). */
  unsaved(days: readonly DayScope[]): void {
    for (const d of days) this.#changed.add(d.scope);
  }

  /** Project ids by number, from `from` on: numbers only grow, so a checkpoint appends. */
  projectIds(from = 0): string[] {
    return [...this.#projectIds.keys()].slice(from);
  }

  get projectCount(): number {
    return this.#projectIds.size;
  }

  hasProject(id: string): boolean {
    return this.#projectIds.has(id);
  }

  /** Framework versions with at least one submission, in no particular order. */
  versions(): string[] {
    return [...this.#versions.keys()];
  }

  /** The summed scope for a selection. Treat it as read-only: it may be shared with later calls. */
  select(s: Selection): Scope {
    const windowed = s.sinceDay !== undefined || s.untilDay !== undefined;
    if (s.framework !== undefined && !windowed)
      return this.#versions.get(s.framework) ?? new Scope(this.#cap);
    if (s.framework === undefined && !windowed) return this.#global;
    const id = `${s.framework ?? '*'}|${s.sinceDay ?? ''}|${s.untilDay ?? ''}`;
    const hit = this.#cache.get(id);
    if (hit && hit.generation === this.#generation) return hit.scope;
    let scope: Scope;
    if (s.framework !== undefined) scope = this.#windowOfVersion(s.framework, s);
    else {
      scope = new Scope(this.#cap);
      for (const v of this.#versions.keys()) scope.absorb(this.select({ ...s, framework: v }));
    }
    if (this.#cache.size >= 32) this.#cache.clear();
    this.#cache.set(id, { generation: this.#generation, scope });
    return scope;
  }

  /** Per framework version, the scope inside a window (for the release comparison). */
  byVersion(w: Window): Map<string, Scope> {
    const out = new Map<string, Scope>();
    for (const v of this.#versions.keys()) out.set(v, this.select({ ...w, framework: v }));
    return out;
  }

  #windowOfVersion(version: string, w: Window): Scope {
    const scope = new Scope(this.#cap);
    const days = this.#days.get(version);
    if (!days) return scope;
    for (const [day, s] of days) {
      if (w.sinceDay !== undefined && day < w.sinceDay) continue;
      if (w.untilDay !== undefined && day > w.untilDay) continue;
      scope.absorb(s);
    }
    return scope;
  }

  #projectNumber(id: string): number {
    let n = this.#projectIds.get(id);
    if (n === undefined) {
      n = this.#projectIds.size;
      this.#projectIds.set(id, n);
    }
    return n;
  }

  #daysOf(version: string): Map<number, Scope> {
    return entryOf(this.#days, version, () => new Map<number, Scope>());
  }

  #scopeOf<K>(map: Map<K, Scope>, key: K): Scope {
    return entryOf(map, key, () => new Scope(this.#cap));
  }
}

/** `map`'s value for `key`, made and stored first when there is none. */
function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
