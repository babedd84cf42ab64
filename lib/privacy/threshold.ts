import type { ExportV1 } from '../../schema/export-v1.ts';
import type { Counts } from '../../schema/rollup.ts';
import { OTHER } from '../rollup/limits.ts';
import { mergeValue } from '../rollup/merge.ts';

type Sections = Pick<ExportV1, 'capabilities' | 'workflows' | 'experts' | 'patterns' | 'decisions' | 'security' | 'failures'>;

/**
 * k-threshold: no exported cell rests on fewer than k runs. Small capabilities, workflows and expert
 * domains fold into `__other__`; small counts inside a cell fold into its `__other__` key; weekly
 * cells below k are dropped (their runs stay in the totals). Whatever is still below k after folding
 * is dropped. Returns how many cells were suppressed or folded, for the export's metadata.
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
    suppressed += thresholdWeeks(item.weeks, k) + thresholdCounts(item.languages, k);
  }
  for (const item of out.workflows.items) {
    suppressed += thresholdWeeks(item.weeks, k);
    for (const counts of [item.outcomes, item.stepFailures, item.errors]) suppressed += thresholdCounts(counts, k);
  }
  for (const item of out.experts.items) {
    suppressed += thresholdWeeks(item.weeks, k);
    for (const counts of [item.experts, item.selectionReasons, item.askedBy]) suppressed += thresholdCounts(counts, k);
  }

  const rename = (c: string) => renamed.get(c) ?? c;
  const pat = foldCounted(out.patterns.items, (i) => ({ ...i, capability: rename(i.capability) }), 'type', k);
  const dec = foldCounted(out.decisions.items, (i) => ({ ...i, capability: rename(i.capability) }), 'kind', k);
  const sec = foldCounted(out.security.items, (i) => ({ ...i, capability: rename(i.capability) }), 'rule', k);
  const fail = foldCounted(out.failures.items, (i) => ({ ...i, capability: rename(i.capability) }), 'errorType', k);
  out.patterns.items = pat.items;
  out.decisions.items = dec.items;
  out.security.items = sec.items;
  out.failures.items = fail.items;
  suppressed += pat.suppressed + dec.suppressed + sec.suppressed + fail.suppressed;
  return { doc: out, suppressedCells: suppressed };
}

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

/** Items of a count section: same (capability, label) are summed, then small ones fold. */
function foldCounted<T extends { capability: string; count: number }>(
  items: T[],
  map: (i: T) => T,
  label: keyof T & string,
  k: number,
): { items: T[]; suppressed: number } {
  const sum = new Map<string, T>();
  let suppressed = 0;
  const put = (i: T) => {
    const id = `${i.capability}\u0000${String(i[label])}`;
    const prev = sum.get(id);
    if (prev) prev.count += i.count;
    else sum.set(id, { ...i });
  };
  const small: T[] = [];
  for (const raw of items.map(map)) (raw.count >= k ? put : (x: T) => small.push(x))(raw);
  // A small label folds into `__other__` of its capability; the merged item counts as one cell.
  const others = new Map<string, T>();
  for (const i of small) {
    suppressed += 1;
    const prev = others.get(i.capability);
    if (prev) prev.count += i.count;
    else others.set(i.capability, { ...i, [label]: OTHER });
  }
  for (const o of others.values()) {
    if (o.count >= k) put(o);
  }
  return { items: [...sum.values()], suppressed };
}

function thresholdWeeks(weeks: Record<string, [number, number, number, number, number, number]>, k: number): number {
  let n = 0;
  for (const [week, cell] of Object.entries(weeks)) {
    if (cell[0] < k) {
      delete weeks[week];
      n++;
    }
  }
  return n;
}

function thresholdCounts(counts: Counts, k: number): number {
  let n = 0;
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
