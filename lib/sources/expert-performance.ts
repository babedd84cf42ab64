import type { ConsultationEvent } from '../../schema/events.ts';
import { confidenceIndex, joinConsultation } from './confidence-metrics.ts';
import type { RunContext } from './context.ts';
import { num, type Rec, str, strings } from './fields.ts';
import { readJsonlFiles } from './jsonl-files.ts';
import { normName } from './name-cache.ts';
import { isoOf, parseInstant } from './timestamps.ts';

const STORE = 'expert-performance';

/**
 * Expert consultations (`learning/expert_performance.jsonl`, append-only, one line per expert that
 * answered; naive timestamps are UTC (3.6 `utcnow`), aware ones UTC (3.7)). This is the store that
 * counts consultations: it is complete (confidence_metrics keeps the last 1000 and only those asked by
 * an agent) and it is what the framework's own tracker counts per expert. `confidence` is the
 * expert's own; the matching confidence_metrics entry adds the asking agent, the threshold and the
 * consultation's combined confidence.
 */
export async function readExpertPerformance(ctx: RunContext): Promise<void> {
  let index: Awaited<ReturnType<typeof confidenceIndex>> | undefined;
  await readJsonlFiles(ctx, STORE, 'learning', /^expert_performance\.jsonl$/, async (r, rel, line) => {
    index ??= await confidenceIndex(ctx);
    return record(ctx, index, r, rel, line);
  });
}

function record(
  ctx: RunContext,
  index: Awaited<ReturnType<typeof confidenceIndex>>,
  r: Rec,
  rel: string,
  line: number,
): void | Promise<void> {
  const expert = str(r, 'expert_id', 256);
  const domain = str(r, 'domain', 256);
  const confidence = num(r, 'confidence');
  const at = str(r, 'timestamp', 64);
  if (!expert || !domain || confidence === undefined || confidence < 0 || confidence > 1 || !at) {
    ctx.problem(STORE, rel, line, 'consultation without expert_id, domain, timestamp or a 0..1 confidence');
    return;
  }
  const instant = parseInstant(at, 'utc', ctx.zone);
  const ms = instant?.ms;
  const e: ConsultationEvent = {
    id: `consult:${expert}:${at}`,
    source: STORE,
    expertId: normName(expert),
    domain: normName(domain),
    confidence,
  };
  const iso = isoOf(ms);
  if (iso) e.at = iso;
  const query = str(r, 'query');
  if (query) e.query = query;
  const reason = str(r, 'selection_reason', 256);
  const experts = strings(r, 'expert_ids', 64);
  const joined =
    instant && joinConsultation(index, e.domain, e.expertId, instant.ms * 1000 + instant.us, query);
  if (joined) {
    if (joined.agent) e.agent = normName(joined.agent);
    if (joined.threshold !== undefined && joined.threshold >= 0 && joined.threshold <= 1)
      e.threshold = joined.threshold;
    if (joined.meetsThreshold !== undefined) e.meetsThreshold = joined.meetsThreshold;
    if (joined.agreementLevel !== undefined && joined.agreementLevel >= 0 && joined.agreementLevel <= 1)
      e.agreementLevel = joined.agreementLevel;
    if (joined.numExperts !== undefined && joined.numExperts >= 0) e.numExperts = joined.numExperts;
  }
  const selection = reason ?? joined?.selectionReason;
  if (selection) e.selectionReason = normName(selection);
  const meta: Record<string, unknown> = { joined: joined !== undefined };
  if (joined?.confidence !== undefined && joined.confidence >= 0 && joined.confidence <= 1)
    e.combinedConfidence = joined.confidence;
  if (experts && e.numExperts === undefined) e.numExperts = experts.length;
  e.metadata = meta;
  return ctx.emit(STORE, { kind: 'consultation', event: e }, ms, false);
}
