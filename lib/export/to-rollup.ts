import type { ExportV1 } from '../../schema/export-v1.ts';
import type { Rollup } from '../../schema/rollup.ts';
import { emptyCapability, emptyRollup } from '../rollup/empty.ts';
import { fromExportSketch } from './sketch-codec.ts';
import { fromWeeklySeries } from './weeks.ts';

const DAY_MS = 86_400_000;

/**
 * An export back as a rollup, so exports merge with the rollup's own merge(): a maintainer's merge
 * of many projects is the same operation as one project's incremental state. Only weekly series
 * exist in an export, so the result's series are weeks.
 */
export function exportToRollup(doc: ExportV1): Rollup {
  const r = emptyRollup();
  r.tasks = doc.totals.tasks;
  r.workflowRuns = doc.totals.workflowRuns;
  r.consultationCount = doc.totals.consultations;
  r.firstDay = dayOf(doc.metadata.period.firstWeek);
  r.lastDay = lastDayOf(doc.metadata.period.lastWeek);
  for (const c of doc.capabilities.items) {
    const cell = emptyCapability();
    Object.assign(cell, {
      runs: c.runs,
      successes: c.successes,
      failures: c.failures,
      skips: c.skips,
      retries: c.retries,
      retrySuccesses: c.retrySuccesses,
      durationMs: fromExportSketch(c.durationMs),
      quality: fromExportSketch(c.quality),
      subScores: structuredClone(c.subScores),
      languages: { ...c.languages },
      series: fromWeeklySeries(c.weeks),
    });
    define(r.capabilities, c.name, cell);
  }
  const cap = (name: string) => {
    if (!Object.hasOwn(r.capabilities, name)) define(r.capabilities, name, emptyCapability());
    return r.capabilities[name] as ReturnType<typeof emptyCapability>;
  };
  for (const p of doc.patterns.items) addCount(cap(p.capability).patterns, p.type, p.count);
  for (const d of doc.decisions.items) addCount(cap(d.capability).decisions, d.kind, d.count);
  for (const s of doc.security.items)
    addCount(cap(s.capability).security, `${s.rule}|${s.severity}`, s.count);
  for (const f of doc.failures.items) addCount(cap(f.capability).errors, f.errorType, f.count);
  for (const w of doc.workflows.items) {
    define(r.workflows, w.type, {
      runs: w.runs,
      outcomes: { ...w.outcomes },
      durationMs: fromExportSketch(w.durationMs),
      stepsTotal: w.stepsTotal,
      stepsCompleted: w.stepsCompleted,
      stepsFailed: w.stepsFailed,
      stepFailures: { ...w.stepFailures },
      errors: { ...w.errors },
      series: fromWeeklySeries(w.weeks),
    });
  }
  for (const e of doc.experts.items) {
    define(r.experts, e.domain, {
      consultations: e.consultations,
      confidence: fromExportSketch(e.confidence),
      meetsThreshold: e.meetsThreshold,
      belowThreshold: e.belowThreshold,
      agreementSumMilli: e.agreementSumMilli,
      agreementCount: e.agreementCount,
      experts: { ...e.experts },
      selectionReasons: { ...e.selectionReasons },
      askedBy: { ...e.askedBy },
      calibration: structuredClone(e.calibration),
      series: fromWeeklySeries(e.weeks),
    });
  }
  for (const h of doc.health.items) {
    define(r.health, h.store, { records: h.records, skipped: h.skipped, lastDay: lastDayOf(h.lastWeek) });
  }
  r.provided.patterns = doc.patterns.status === 'recorded' ? doc.patterns.items.length : 0;
  r.provided.decisions = doc.decisions.status === 'recorded' ? doc.decisions.items.length : 0;
  r.provided.security = doc.security.status === 'recorded' ? doc.security.items.length : 0;
  return r;
}

function addCount(map: Record<string, number>, key: string, n: number): void {
  define(map, key, (Object.hasOwn(map, key) ? (map[key] as number) : 0) + n);
}

function define<T>(o: Record<string, T>, k: string, value: T): void {
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
}

function dayOf(isoDay: string | null): number | null {
  return isoDay === null ? null : Math.floor(Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS);
}

/** The last day of the week that starts on `isoDay`. */
function lastDayOf(isoDay: string | null): number | null {
  const d = dayOf(isoDay);
  return d === null ? null : d + 6;
}
