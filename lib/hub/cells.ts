import type { Rollup, Series } from '../../schema/rollup.ts';
import { isZero } from './rollup-fields.ts';

/**
 * The units of the hub's k-threshold: a cell is published only when at least k distinct projects
 * contributed to it. Cells are the labelled things a reader could tie to a project: a capability,
 * a workflow type, an expert domain, a store, and every labelled count inside them (an error type,
 * a language, a week of a series…). Sketch buckets belong to their cell.
 */
export type { CellKind } from './report-schema.ts';

const SEP = '\u0000';

export const TOTAL_CELL = 'total';

export function cellKey(...parts: string[]): string {
  return parts.join(SEP);
}

/** Field of a cell → the kind its entries are counted as. */
export const CAPABILITY_MAPS = {
  errors: 'errorTypes',
  languages: 'languages',
  patterns: 'patterns',
  decisions: 'decisions',
  security: 'security',
  subScores: 'subScores',
} as const;
export const WORKFLOW_MAPS = {
  outcomes: 'outcomes',
  stepFailures: 'stepFailures',
  errors: 'errorTypes',
} as const;
export const EXPERT_MAPS = {
  experts: 'experts',
  selectionReasons: 'selectionReasons',
  askedBy: 'askedBy',
  calibration: 'calibration',
} as const;

/** Every cell a (delta) rollup touches with a non-zero amount. */
export function cellKeysOf(r: Rollup): string[] {
  const keys: string[] = [];
  const cells = (
    prefix: string,
    map: Record<string, unknown>,
    maps: Record<string, string>,
    series: boolean,
  ) => {
    for (const name of Object.keys(map)) {
      const cell = map[name] as Record<string, unknown>;
      if (isZero(cell)) continue;
      keys.push(cellKey(prefix, name));
      for (const field of Object.keys(maps)) {
        const m = cell[field] as Record<string, unknown> | undefined;
        if (!m) continue;
        for (const label of Object.keys(m))
          if (!isZero(m[label])) keys.push(cellKey(prefix, name, field, label));
      }
      if (series)
        for (const week of weeksOf(cell.series as Series | undefined))
          keys.push(cellKey(prefix, name, 'weeks', week));
    }
  };
  cells('c', r.capabilities, CAPABILITY_MAPS, true);
  cells('w', r.workflows, WORKFLOW_MAPS, true);
  cells('e', r.experts, EXPERT_MAPS, true);
  for (const store of Object.keys(r.health)) if (!isZero(r.health[store])) keys.push(cellKey('h', store));
  for (const dim of Object.keys(r.overflow)) if (r.overflow[dim] !== 0) keys.push(cellKey('o', dim));
  if (keys.length > 0 || r.tasks !== 0 || r.workflowRuns !== 0 || r.consultationCount !== 0)
    keys.push(TOTAL_CELL);
  return keys;
}

/** Series cells with an amount; days and weeks both count as the week key they are stored under. */
function weeksOf(s: Series | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  for (const k of Object.keys(s.weeks)) if (!isZero(s.weeks[k])) out.push(k);
  for (const k of Object.keys(s.days)) if (!isZero(s.days[k])) out.push(`d${k}`);
  return out;
}
