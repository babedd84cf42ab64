import type { Rollup } from '../../schema/rollup.ts';
import { emptyRollup } from '../rollup/empty.ts';
import { CAPABILITY_MAPS, type CellKind, cellKey, EXPERT_MAPS, TOTAL_CELL, WORKFLOW_MAPS } from './cells.ts';
import { copy, define, isExtreme, isMapField } from './rollup-fields.ts';

export interface Withheld {
  /** Cells with at least one contributing project but fewer than k. */
  cells: number;
  byKind: Partial<Record<CellKind, number>>;
}

export interface Published {
  rollup: Rollup;
  withheld: Withheld;
}

/**
 * The aggregate as it may be shown: only cells that at least k distinct projects contributed to.
 * A withheld cell takes the labelled counts inside it along (they are not counted again). Sums of
 * signed deltas over a date window can dip below zero where a project's cells moved between
 * snapshots; no reader should see a negative count, so those are shown as 0.
 */
export function publish(sum: Rollup, contributors: (key: string) => number, k: number): Published {
  const byKind: Partial<Record<CellKind, number>> = {};
  const withhold = (kind: CellKind) => {
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  };
  const ok = (key: string, kind: CellKind): boolean => {
    const n = contributors(key);
    if (n >= k) return true;
    if (n > 0) withhold(kind);
    return false;
  };
  const out = emptyRollup();
  if (!ok(TOTAL_CELL, 'total')) return { rollup: out, withheld: total(byKind) };

  out.tasks = clamp(sum.tasks);
  out.workflowRuns = clamp(sum.workflowRuns);
  out.consultationCount = clamp(sum.consultationCount);
  out.firstDay = sum.firstDay;
  out.lastDay = sum.lastDay;
  out.provided = clampAll(copy(sum.provided));

  const section = (
    prefix: string,
    from: Record<string, Record<string, unknown>>,
    into: Record<string, unknown>,
    kind: CellKind,
    maps: Record<string, CellKind>,
  ) => {
    for (const name of Object.keys(from).sort()) {
      if (!ok(cellKey(prefix, name), kind)) continue;
      const cell = clampAll(copy(from[name] as Record<string, unknown>));
      for (const [field, mapKind] of Object.entries(maps)) {
        const m = cell[field] as Record<string, unknown>;
        for (const label of Object.keys(m))
          if (!ok(cellKey(prefix, name, field, label), mapKind)) delete m[label];
      }
      const series = cell.series as
        | { days: Record<string, unknown>; weeks: Record<string, unknown> }
        | undefined;
      if (series) {
        for (const w of Object.keys(series.weeks))
          if (!ok(cellKey(prefix, name, 'weeks', w), 'weeks')) delete series.weeks[w];
        for (const d of Object.keys(series.days))
          if (!ok(cellKey(prefix, name, 'weeks', `d${d}`), 'weeks')) delete series.days[d];
      }
      define(into, name, cell);
    }
  };
  section('c', sum.capabilities, out.capabilities, 'capabilities', CAPABILITY_MAPS);
  section('w', sum.workflows, out.workflows, 'workflows', WORKFLOW_MAPS);
  section('e', sum.experts, out.experts, 'expertDomains', EXPERT_MAPS);
  for (const store of Object.keys(sum.health).sort())
    if (ok(cellKey('h', store), 'health')) define(out.health, store, clampAll(copy(sum.health[store])));
  for (const dim of Object.keys(sum.overflow).sort())
    if (ok(cellKey('o', dim), 'overflow')) define(out.overflow, dim, clamp(sum.overflow[dim] ?? 0));
  return { rollup: out, withheld: total(byKind) };
}

function total(byKind: Partial<Record<CellKind, number>>): Withheld {
  return { cells: Object.values(byKind).reduce((n, x) => n + (x ?? 0), 0), byKind };
}

function clamp(n: number): number {
  return n < 0 ? 0 : n;
}

/**
 * Negative counters become 0; extremes (min, max, days) are left as they are. Map entries that
 * sum to 0 (a sketch bucket a later snapshot emptied again) are dropped.
 */
function clampAll<T>(x: T, inMap = false): T {
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) if (typeof x[i] === 'number' && (x[i] as number) < 0) x[i] = 0;
    return x;
  }
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === 'number') {
        if (v <= 0 && inMap) delete o[k];
        else if (v < 0 && !isExtreme(k, inMap)) o[k] = 0;
      } else if (v && typeof v === 'object') clampAll(v, isMapField(k, inMap));
    }
  }
  return x;
}
