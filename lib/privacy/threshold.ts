import type { ExportV1 } from '../../schema/export-v1.ts';
import type { Counts } from '../../schema/rollup.ts';
import { OTHER } from '../rollup/limits.ts';
import { mergeValue } from '../rollup/merge.ts';

type Sections = Pick<
  ExportV1,
  'capabilities' | 'workflows' | 'experts' | 'patterns' | 'decisions' | 'security' | 'failures'
>;

/**
 * k-threshold: no exported cell rests on fewer than k runs (tasks, workflow runs, consultations).
 *
 * - Small capabilities, workflows and expert domains fold into `__other__` (their runs are
 *   distinct, so the folded item's runs are what it rests on); one still below k is dropped.
 * - Inside an item, a label below k folds into the item's `__other__` label, where each run
 *   carries one such label (error type, outcome, expert…). Where a run can carry several labels
 *   (languages, pattern types, security findings) a sum of labels is not a number of runs, so a
 *   small label is dropped instead, and so is the rollup's own `__other__` of those dimensions.
 * - Weekly cells, sub-scores and calibration deciles below k are dropped (their runs stay in the
 *   item and the totals).
 * - Count cells (patterns, decisions, security, failures) of a capability that is not exported
 *   are dropped, so no label appears beside a capability that had fewer than k runs.
 *
 * Counts are numbers of runs because observe() records each label once per run. Returns how many
 * cells were suppressed or folded, for the export's metadata.
 */
export function applyKThreshold<T extends Sections>(doc: T, k: number): { doc: T; suppressedCells: number } {
  const out = structuredClone(doc);
  let suppressed = 0;
  const renamed = new Map<string, string>();

  const caps = foldItems(out.capabilities.items, 'name', (i) => i.runs, k);
  suppressed += caps.suppressed;
  for (const name of caps.folded) renamed.set(name, OTHER);
  out.capabilities.items = caps.items;

  const wfs = foldItems(out.workflows.items, 'type', (i) => i.runs, k);
  suppressed += wfs.suppressed;
  out.workflows.items = wfs.items;

  const exps = foldItems(out.experts.items, 'domain', (i) => i.consultations, k);
  suppressed += exps.suppressed;
  out.experts.items = exps.items;

  for (const item of out.capabilities.items) {
    suppressed += thresholdWeeks(item.weeks, k);
    suppressed += thresholdCounts(item.languages, k, 'several-per-run');
    suppressed += thresholdPairs(item.subScores, 1, k);
  }
  for (const item of out.workflows.items) {
    suppressed += thresholdWeeks(item.weeks, k);
    for (const counts of [item.outcomes, item.stepFailures, item.errors])
      suppressed += thresholdCounts(counts, k, 'one-per-run');
  }
  for (const item of out.experts.items) {
    suppressed += thresholdWeeks(item.weeks, k);
    suppressed += thresholdPairs(item.calibration, 0, k);
    for (const counts of [item.experts, item.selectionReasons, item.askedBy])
      suppressed += thresholdCounts(counts, k, 'one-per-run');
  }

  const exported = new Set(out.capabilities.items.map((i) => i.name));
  const rename = (c: string) => renamed.get(c) ?? c;
  const pat = foldCounted(out.patterns.items, rename, ['type'], 'several-per-run', k, exported);
  const dec = foldCounted(out.decisions.items, rename, ['kind'], 'one-per-run', k, exported);
  const sec = foldCounted(out.security.items, rename, ['rule', 'severity'], 'several-per-run', k, exported);
  const fail = foldCounted(out.failures.items, rename, ['errorType'], 'one-per-run', k, exported);
  out.patterns.items = pat.items;
  out.decisions.items = dec.items;
  out.security.items = sec.items;
  out.failures.items = fail.items;
  suppressed += pat.suppressed + dec.suppressed + sec.suppressed + fail.suppressed;
  return { doc: out, suppressedCells: suppressed };
}

/** Whether one run carries one label of a dimension, or possibly several. */
type Arity = 'one-per-run' | 'several-per-run';

function foldItems<T extends Record<string, unknown>>(
  items: T[],
  key: keyof T & string,
  size: (i: T) => number,
  k: number,
): { items: T[]; folded: string[]; suppressed: number } {
  const kept: T[] = [];
  const folded: string[] = [];
  let other: T | undefined;
  for (const item of items) {
    if (size(item) >= k && item[key] !== OTHER) {
      kept.push(item);
      continue;
    }
    if (item[key] !== OTHER) folded.push(item[key] as string);
    const renamed = { ...item, [key]: OTHER };
    other = other ? (mergeValue(other, renamed) as T) : structuredClone(renamed);
  }
  let suppressed = folded.length;
  if (other) {
    if (size(other) >= k) kept.push(other);
    else suppressed += 1;
  }
  return { items: kept, folded, suppressed };
}

/**
 * Items of a count section. Cells that become the same (capability, labels) once folded
 * capabilities are renamed are summed (different capabilities are different runs). Then, for a
 * one-per-run dimension, a label below k folds into its capability's `__other__`; for a
 * several-per-run one it is dropped. Suppressed: each folded or dropped label, each dropped
 * `__other__`, each cell of a capability that is not exported.
 */
function foldCounted<T extends { capability: string; count: number }>(
  items: readonly T[],
  rename: (capability: string) => string,
  labels: readonly [keyof T & string, ...(keyof T & string)[]],
  arity: Arity,
  k: number,
  exported: ReadonlySet<string>,
): { items: T[]; suppressed: number } {
  const [label] = labels;
  const idOf = (i: T) => [i.capability, ...labels.map((d) => String(i[d]))].join('\u0000');
  const sums = new Map<string, T>();
  for (const raw of items) {
    const i = { ...raw, capability: rename(raw.capability) };
    const prev = sums.get(idOf(i));
    if (prev) prev.count += i.count;
    else sums.set(idOf(i), i);
  }
  let suppressed = 0;
  const kept: T[] = [];
  const others = new Map<string, T>();
  for (const i of sums.values()) {
    const isOther = i[label] === OTHER;
    if (!exported.has(i.capability) || (isOther && arity === 'several-per-run')) {
      suppressed += 1;
      continue;
    }
    if (!isOther && i.count >= k) {
      kept.push(i);
      continue;
    }
    if (!isOther) suppressed += 1;
    if (arity === 'several-per-run') continue;
    const folded = { ...i, [label]: OTHER };
    const prev = others.get(idOf(folded));
    if (prev) prev.count += i.count;
    else others.set(idOf(folded), folded);
  }
  for (const o of others.values()) {
    if (o.count >= k) kept.push(o);
    else suppressed += 1;
  }
  return { items: kept.sort((a, b) => compare(idOf(a), idOf(b))), suppressed };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Pairs keyed by a name or a decile: sub-scores are [sumMilli, runs], calibration [runs,
 * successes]. One below k is dropped: sums of different sub-scores or deciles mean nothing together.
 */
function thresholdPairs(pairs: Record<string, [number, number]>, runsAt: 0 | 1, k: number): number {
  let n = 0;
  for (const [key, pair] of Object.entries(pairs)) {
    if (pair[runsAt] < k) {
      delete pairs[key];
      n++;
    }
  }
  return n;
}

function thresholdWeeks(
  weeks: Record<string, [number, number, number, number, number, number]>,
  k: number,
): number {
  let n = 0;
  for (const [week, cell] of Object.entries(weeks)) {
    if (cell[0] < k) {
      delete weeks[week];
      n++;
    }
  }
  return n;
}

function thresholdCounts(counts: Counts, k: number, arity: Arity): number {
  let n = 0;
  if (arity === 'several-per-run') {
    for (const [key, c] of Object.entries(counts)) {
      if (key !== OTHER && c >= k) continue;
      delete counts[key];
      n++;
    }
    return n;
  }
  let other = counts[OTHER] ?? 0;
  for (const [key, c] of Object.entries(counts)) {
    if (key === OTHER || c >= k) continue;
    other += c;
    delete counts[key];
    n++;
  }
  if (other >= k) counts[OTHER] = other;
  else if (Object.hasOwn(counts, OTHER) || other > 0) {
    delete counts[OTHER];
    if (other > 0) n++;
  }
  return n;
}
