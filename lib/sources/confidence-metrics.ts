import { readFileSync, statSync } from 'node:fs';
import type { RunContext } from './context.ts';
import { arr, asRec, bool, int, num, type Rec, str, strings } from './fields.ts';
import { hash53 } from './hash.ts';
import { normName } from './name-cache.ts';
import { parseInstant } from './timestamps.ts';
import { MAX_FILE, readWholeJson } from './whole-file.ts';

const STORE = 'confidence-metrics';
const REL = 'confidence_metrics.json';
const INDEX = 'confidence-index';
/** The agent-side entry is written after the experts' lines, within milliseconds. */
const JOIN_US = 2_000_000;
/** Clock rounding between the two writers. */
const SLACK_US = 1_000;

export interface ConfidenceEntry {
  /** Epoch microseconds. */
  us: number;
  experts: ReadonlySet<string>;
  /** hash53 of `query_preview` (the query's first 100 characters), never the text. */
  preview?: number;
  /** Expert lines this entry can still be joined to (one per answering expert). */
  remaining: number;
  /** The entry lists every answering expert (3.7 `expert_ids`); 3.6 names only the primary one. */
  named: boolean;
  agent?: string;
  confidence?: number;
  threshold?: number;
  meetsThreshold?: boolean;
  agreementLevel?: number;
  numExperts?: number;
  selectionReason?: string;
}

function entryKey(r: Rec): number {
  return hash53(
    `${str(r, 'timestamp', 64) ?? ''}|${str(r, 'agent_id', 256) ?? ''}|${str(r, 'primary_expert', 256) ?? ''}|${str(r, 'domain', 256) ?? ''}`,
  );
}

function metricsOf(value: unknown): Rec[] {
  const top = asRec(value);
  const list = top ? arr(top, 'metrics') : undefined;
  return (list ?? []).map(asRec).filter((r): r is Rec => r !== undefined);
}

/**
 * `confidence_metrics.json` (rewritten whole, last 1000 consultations, timestamps naive local). Its
 * entries are not emitted on their own: each is the consultation an expert_performance line already
 * reports, seen from the asking agent's side, and the file forgets entries after 1000. They enrich
 * those lines instead (agent, threshold, agreement). Here only the new entries are counted.
 */
export async function readConfidenceMetrics(ctx: RunContext): Promise<void> {
  const read = await readWholeJson(ctx, STORE, REL);
  if (read.status !== 'changed') return;
  const { r, parsed } = read;
  if (parsed === 'bad') {
    ctx.files.set(REL, r.cp);
    return;
  }
  const entries = metricsOf(parsed.value);
  const known = new Set(r.previous?.keys ?? []);
  const keys = entries.map(entryKey);
  ctx.stats[STORE].records += keys.filter((k) => !known.has(k)).length;
  ctx.files.set(REL, { ...r.cp, keys });
  ctx.shared.set(INDEX, buildIndex(ctx, entries));
}

/** Consultations by normalized domain, for joining expert_performance lines. */
export type ConfidenceIndex = Map<string, ConfidenceEntry[]>;

function buildIndex(ctx: RunContext, entries: Rec[]): ConfidenceIndex {
  const index: ConfidenceIndex = new Map();
  for (const r of entries) {
    const domain = str(r, 'domain', 256);
    const at = parseInstant(str(r, 'timestamp', 64), 'local', ctx.zone);
    if (!domain || at === undefined) continue;
    const ids = strings(r, 'expert_ids', 64);
    const experts = new Set((ids ?? []).map(normName));
    const primary = str(r, 'primary_expert', 256);
    if (primary) experts.add(normName(primary));
    const n = int(r, 'num_experts');
    const e: ConfidenceEntry = {
      us: at.ms * 1000 + at.us,
      experts,
      remaining: n !== undefined && n > 0 ? n : 1,
      named: ids !== undefined,
    };
    const preview = str(r, 'query_preview', 1024);
    if (preview) e.preview = hash53(preview);
    const agent = str(r, 'agent_id', 256);
    if (agent) e.agent = agent;
    const set = <K extends keyof ConfidenceEntry>(k: K, v: ConfidenceEntry[K] | undefined) => {
      if (v !== undefined) e[k] = v;
    };
    set('confidence', num(r, 'confidence'));
    set('threshold', num(r, 'threshold'));
    set('meetsThreshold', bool(r, 'meets_threshold'));
    set('agreementLevel', num(r, 'agreement_level'));
    set('numExperts', int(r, 'num_experts'));
    set('selectionReason', str(r, 'selection_reason', 256));
    const key = normName(domain);
    const list = index.get(key);
    if (list) list.push(e);
    else index.set(key, [e]);
  }
  for (const list of index.values()) list.sort((a, b) => a.us - b.us);
  return index;
}

/** The index of this run, reading the file when it was not read (unchanged since the last run). */
export async function confidenceIndex(ctx: RunContext): Promise<ConfidenceIndex> {
  const hit = ctx.shared.get(INDEX) as ConfidenceIndex | undefined;
  if (hit) return hit;
  let index: ConfidenceIndex = new Map();
  try {
    const path = ctx.abs(REL);
    const st = statSync(path);
    if (st.isFile() && st.size <= MAX_FILE)
      index = buildIndex(ctx, metricsOf(JSON.parse(readFileSync(path, 'utf8'))));
  } catch {
    // Missing or mid-write: lines are emitted without enrichment.
  }
  ctx.shared.set(INDEX, index);
  return index;
}

/**
 * The agent-side entry of the consultation an expert answered at `us`: same domain, naming the
 * expert, the same query start, written just after; the nearest such entry not yet used up.
 */
export function joinConsultation(
  index: ConfidenceIndex,
  domain: string,
  expert: string,
  us: number,
  query: string | undefined,
): ConfidenceEntry | undefined {
  const list = index.get(domain);
  if (!list || list.length === 0) return undefined;
  // Entries are sorted by time: start at the first one inside the window.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as ConfidenceEntry).us < us - SLACK_US) lo = mid + 1;
    else hi = mid;
  }
  if (lo === list.length || (list[lo] as ConfidenceEntry).us > us + JOIN_US) return undefined;
  const preview = query === undefined ? undefined : hash53(query.slice(0, 100));
  let best: ConfidenceEntry | undefined;
  for (let i = lo; i < list.length; i++) {
    const e = list[i] as ConfidenceEntry;
    const d = e.us - us;
    if (d > JOIN_US) break;
    if (d < -SLACK_US || d > JOIN_US || e.remaining <= 0) continue;
    const samePreview = e.preview !== undefined && preview !== undefined && e.preview === preview;
    if (e.preview !== undefined && preview !== undefined && !samePreview) continue;
    // Without `expert_ids` a secondary expert is recognized by the query alone.
    if (!e.experts.has(expert) && (e.named || !samePreview)) continue;
    if (best === undefined || d < best.us - us) best = e;
  }
  if (best) best.remaining -= 1;
  return best;
}
