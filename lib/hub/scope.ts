import type { Rollup } from '../../schema/rollup.ts';
import { emptyRollup } from '../rollup/empty.ts';
import { accumulateShared, withdraw } from './accumulate.ts';

/** A scope as plain data, for the hub's checkpoint. */
export interface ScopeState {
  submissions: number;
  projects: number[];
  cells: [string, number[]][];
  sum: Rollup;
}

/**
 * Project numbers a cell remembers: twice k. Only "at least k" matters for publishing, so memory
 * stays bounded by cells × 2k however many projects submit, and a union of capped sets still
 * tells whether k is reached. The k spare places are for deletions: a project taken out of a
 * full list leaves at least k behind, so the cell is still published, as it should be.
 */
export function cellCap(k: number): number {
  return 2 * Math.max(1, k);
}

/**
 * A running sum of contributions and, per cell, which projects contributed (at most `cap` of
 * them, see cellCap()).
 */
export class Scope {
  readonly cells = new Map<string, number[]>();
  readonly projects = new Set<number>();
  submissions = 0;

  constructor(
    readonly cap: number,
    readonly sum: Rollup = emptyRollup(),
  ) {}

  static fromState(cap: number, s: ScopeState): Scope {
    const scope = new Scope(cap, s.sum);
    scope.submissions = s.submissions;
    for (const p of s.projects) scope.projects.add(p);
    for (const [key, list] of s.cells) scope.cells.set(key, list);
    return scope;
  }

  state(): ScopeState {
    return {
      submissions: this.submissions,
      projects: [...this.projects],
      cells: [...this.cells],
      sum: this.sum,
    };
  }

  add(project: number, delta: Rollup, keys: readonly string[]): void {
    this.submissions += 1;
    this.projects.add(project);
    accumulateShared(this.sum, delta);
    for (const key of keys) this.#mark(key, project);
  }

  /**
   * Adds another scope (a window of days) into this one. The sums share what they can: copy on
   * write keeps either from changing the other.
   */
  absorb(other: Scope): void {
    this.submissions += other.submissions;
    for (const p of other.projects) this.projects.add(p);
    accumulateShared(this.sum, other.sum);
    for (const [key, list] of other.cells) for (const p of list) this.#mark(key, p);
  }

  /**
   * Takes one project's contributions out: its `submissions`, their summed `delta` (what its
   * adds added) and the cells they marked. Counters come out exactly; an extreme the project may
   * have set becomes unknown (see withdraw()), as does, past the spare places, a cell's count.
   */
  withdraw(project: number, delta: Rollup, keys: Iterable<string>, submissions: number): void {
    this.submissions -= submissions;
    this.projects.delete(project);
    withdraw(this.sum, delta);
    for (const key of keys) {
      const list = this.cells.get(key);
      const at = list ? list.indexOf(project) : -1;
      if (!list || at < 0) continue;
      if (list.length === 1) this.cells.delete(key);
      else list.splice(at, 1);
    }
  }

  /** Distinct projects behind a cell, exact below the cap. */
  contributors(key: string): number {
    return this.cells.get(key)?.length ?? 0;
  }

  #mark(key: string, project: number): void {
    const list = this.cells.get(key);
    if (!list) this.cells.set(key, [project]);
    else if (list.length < this.cap && !list.includes(project)) list.push(project);
  }
}
