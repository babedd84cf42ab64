import type { Rollup } from '../../schema/rollup.ts';
import { emptyRollup } from '../rollup/empty.ts';
import { accumulate } from './accumulate.ts';

/**
 * A running sum of contributions and, per cell, which projects contributed. Only "at least k"
 * matters for publishing, so each cell remembers at most `cap` (= k) project numbers: memory stays
 * bounded by cells × k however many projects submit, and a union of capped sets still tells
 * whether k is reached.
 */
export class Scope {
  readonly sum: Rollup = emptyRollup();
  readonly cells = new Map<string, number[]>();
  readonly projects = new Set<number>();
  submissions = 0;

  constructor(readonly cap: number) {}

  add(project: number, delta: Rollup, keys: readonly string[]): void {
    this.submissions += 1;
    this.projects.add(project);
    accumulate(this.sum, delta);
    for (const key of keys) this.#mark(key, project);
  }

  /** Adds another scope (a window of days) into this one. */
  absorb(other: Scope): void {
    this.submissions += other.submissions;
    for (const p of other.projects) this.projects.add(p);
    accumulate(this.sum, other.sum);
    for (const [key, list] of other.cells) for (const p of list) this.#mark(key, p);
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
