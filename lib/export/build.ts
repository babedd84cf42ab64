import { SECTION_NAMES, type SectionName } from '../../config/schema.ts';
import {
  EXPORT_SCHEMA_VERSION,
  type ExportV1,
  type HealthItem,
  PRIVACY_POLICY_VERSION,
  type SectionReason,
  type SectionStatus,
} from '../../schema/export-v1.ts';
import type { Rollup, Sketch } from '../../schema/rollup.ts';
import { effectivenessOf } from '../dashboard/effectiveness.ts';
import { isoDay } from '../privacy/day.ts';
import { noiseIfAsked } from '../privacy/noise.ts';
import { applyKThreshold } from '../privacy/threshold.ts';
import { transformCounts } from '../privacy/transform-counts.ts';
import { weekOf } from '../rollup/series.ts';
import { computeExportId } from './canonical.ts';
import { toExportSketch } from './sketch-codec.ts';
import { toWeeklySeries } from './weeks.ts';

export interface BuildOptions {
  now: Date;
  projectId: string;
  producerVersion: string;
  frameworkVersion: string | null;
  k: number;
  epsilon?: number | null;
  /** Sections to carry; the others are `excluded`. Default: all. */
  sections?: readonly SectionName[];
  /** Why sections are excluded (the user's flag or the project's config). */
  excludedBy?: 'excluded-by-user' | 'excluded-by-project-config';
  /** Stores the framework can write, so health can say `missing` for the ones never seen. */
  knownStores?: readonly { name: string; dormant: boolean }[];
  /** Key of the Laplace noise (lib/privacy/noise.ts noiseKeyOf); required when epsilon is set. */
  noiseKey?: Uint8Array;
  /** A raw export for local debugging: no k-threshold, no noise, marked raw (never submittable). */
  raw?: boolean;
}

type Doc = ExportV1;

/**
 * Serializes the precomputed rollup into an export document. Its cost depends on the number of
 * labels (bounded), never on how many events the project has seen. Pure: the clock and ids come in.
 */
export function buildExport(rollup: Rollup, o: BuildOptions): Doc {
  const hasData = rollup.tasks + rollup.workflowRuns + rollup.consultationCount > 0;
  const status = (items: unknown[], recorded = true): { status: SectionStatus; reason?: SectionReason } => {
    if (!recorded)
      return { status: 'not-recorded', reason: hasData ? 'framework-keeps-in-memory-only' : 'no-data-yet' };
    return items.length > 0
      ? { status: 'recorded' }
      : { status: 'empty', reason: hasData ? 'below-k-threshold' : 'no-data-yet' };
  };
  const caps = Object.entries(rollup.capabilities).sort(([a], [b]) => a.localeCompare(b));
  const raw = {
    capabilities: {
      items: caps.map(([name, c]) => ({
        name,
        runs: c.runs,
        successes: c.successes,
        failures: c.failures,
        skips: c.skips,
        retries: c.retries,
        retrySuccesses: c.retrySuccesses,
        durationMs: c.durationMs,
        quality: c.quality,
        subScores: c.subScores,
        languages: c.languages,
        weeks: toWeeklySeries(c.series),
      })),
    },
    workflows: {
      items: Object.entries(rollup.workflows)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([type, w]) => ({
          type,
          runs: w.runs,
          outcomes: w.outcomes,
          durationMs: w.durationMs,
          stepsTotal: w.stepsTotal,
          stepsCompleted: w.stepsCompleted,
          stepsFailed: w.stepsFailed,
          stepFailures: w.stepFailures,
          errors: w.errors,
          weeks: toWeeklySeries(w.series),
        })),
    },
    experts: {
      items: Object.entries(rollup.experts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([domain, e]) => ({
          domain,
          consultations: e.consultations,
          confidence: e.confidence,
          meetsThreshold: e.meetsThreshold,
          belowThreshold: e.belowThreshold,
          agreementSumMilli: e.agreementSumMilli,
          agreementCount: e.agreementCount,
          experts: e.experts,
          selectionReasons: e.selectionReasons,
          askedBy: e.askedBy,
          calibration: e.calibration,
          weeks: toWeeklySeries(e.series),
        })),
    },
    patterns: {
      items: perCapability(
        caps,
        (c) => c.patterns,
        (capability, type, count) => ({ capability, type, count }),
      ),
    },
    decisions: {
      items: perCapability(
        caps,
        (c) => c.decisions,
        (capability, kind, count) => ({ capability, kind, count }),
      ),
    },
    security: {
      items: perCapability(
        caps,
        (c) => c.security,
        (capability, key, count) => {
          const [rule = 'unknown', severity = 'unknown'] = key.split('|');
          return { capability, rule, severity, count };
        },
      ),
    },
    failures: {
      items: perCapability(
        caps,
        (c) => c.errors,
        (capability, errorType, count) => ({ capability, errorType, count }),
      ),
    },
  };
  // Folding merges rollup-shaped cells (sparse sketches); only then do sketches take their export form.
  const sections = structuredClone(raw) as never as Pick<Doc, keyof typeof raw>;
  const { doc: folded, suppressedCells } = o.raw
    ? { doc: sections, suppressedCells: 0 }
    : applyKThreshold(sections, o.k);
  const totals = {
    tasks: rollup.tasks,
    workflowRuns: rollup.workflowRuns,
    consultations: rollup.consultationCount,
  };
  const noised = noiseIfAsked(
    { ...withDenseSketches(folded), totals, health: { items: healthItems(rollup, o.knownStores ?? []) } },
    o.raw ? null : (o.epsilon ?? null),
    o.noiseKey,
  );
  const kept = noised.parts;

  const include = new Set<string>(o.sections ?? SECTIONS);
  const gated = <I>(
    name: string,
    s: { items: I[] },
    recorded = true,
  ): { status: SectionStatus; reason?: SectionReason; items: I[] } =>
    include.has(name)
      ? { ...status(s.items, recorded), items: s.items }
      : { status: 'excluded', reason: o.excludedBy ?? 'excluded-by-user', items: [] };

  const effectiveness = kept.capabilities.items.map((c) => effectivenessOf(c.name, c.weeks));
  const health = kept.health.items;
  const doc: Doc = {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    metadata: {
      exportId: '0'.repeat(64),
      createdAt: o.now.toISOString(),
      producer: { name: '@tapps-agents/learning', version: o.producerVersion },
      framework: { name: 'tapps-agents', version: o.frameworkVersion ?? 'unknown' },
      projectId: o.projectId,
      period: {
        firstWeek: rollup.firstDay === null ? null : isoDay(weekOf(rollup.firstDay)),
        lastWeek: rollup.lastDay === null ? null : isoDay(weekOf(rollup.lastDay)),
      },
      raw: o.raw === true,
      privacy: {
        policyVersion: PRIVACY_POLICY_VERSION,
        // A raw export applies no threshold: every cell of one run or more is there.
        k: o.raw ? 1 : o.k,
        epsilon: o.raw ? null : (o.epsilon ?? null),
        suppressedCells,
        redaction: { scannedStrings: 0, findings: 0, rules: {} },
      },
    },
    totals: kept.totals,
    capabilities: gated('capabilities', kept.capabilities),
    workflows: gated('workflows', kept.workflows),
    experts: gated('experts', kept.experts),
    patterns: gated('patterns', kept.patterns, rollup.provided.patterns > 0),
    decisions: gated('decisions', kept.decisions, rollup.provided.decisions > 0),
    security: gated('security', kept.security, rollup.provided.security > 0),
    failures: gated('failures', kept.failures),
    effectiveness: gated('effectiveness', { items: effectiveness }),
    health: gated('health', { items: health }),
  };
  doc.metadata.privacy.redaction.rules = transformCounts(doc, noised.noisedValues);
  return withExportId(doc);
}

/** The document's sections, in order: the config's list is the one source. */
export const SECTIONS = SECTION_NAMES;

export function withExportId(doc: Doc): Doc {
  return { ...doc, metadata: { ...doc.metadata, exportId: computeExportId(doc) } };
}

/** The threshold step works on rollup sketches; the document carries them dense (sketch-codec.ts). */
function withDenseSketches<T extends Pick<Doc, 'capabilities' | 'workflows' | 'experts'>>(d: T): T {
  const dense = (s: unknown) => toExportSketch(s as Sketch);
  return {
    ...d,
    capabilities: {
      items: d.capabilities.items.map((c) => ({
        ...c,
        durationMs: dense(c.durationMs),
        quality: dense(c.quality),
      })),
    },
    workflows: { items: d.workflows.items.map((w) => ({ ...w, durationMs: dense(w.durationMs) })) },
    experts: { items: d.experts.items.map((e) => ({ ...e, confidence: dense(e.confidence) })) },
  };
}

function perCapability<T>(
  caps: [string, Rollup['capabilities'][string]][],
  pick: (c: Rollup['capabilities'][string]) => Record<string, number>,
  make: (capability: string, label: string, count: number) => T,
): T[] {
  const out: T[] = [];
  for (const [name, c] of caps) {
    for (const [label, count] of Object.entries(pick(c)).sort(([a], [b]) => a.localeCompare(b))) {
      out.push(make(name, label, count));
    }
  }
  return out;
}

function healthItems(rollup: Rollup, known: readonly { name: string; dormant: boolean }[]): HealthItem[] {
  const names = new Set([...Object.keys(rollup.health), ...known.map((s) => s.name)]);
  return [...names].sort().map((store) => {
    const h = rollup.health[store];
    const records = h?.records ?? 0;
    return {
      store,
      state: !h ? 'missing' : records > 0 ? 'live' : 'dormant',
      records,
      skipped: h?.skipped ?? 0,
      lastWeek: h?.lastDay == null ? null : isoDay(weekOf(h.lastDay)),
    };
  });
}
