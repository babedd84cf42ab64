import { DASHBOARD_SCHEMA_VERSION, type Dashboard } from '../../schema/dashboard.ts';
import type { CapabilityCell, ExpertCell, Rollup, WorkflowCell } from '../../schema/rollup.ts';
import { isoDay } from '../privacy/day.ts';
import { capabilityReport } from './capabilities.ts';
import { calibrationSection, expertDomain } from './experts.ts';
import { failureAnalysis } from './failures.ts';
import { type HealthInfo, healthSection } from './health.ts';
import { METHOD } from './method.ts';
import { countsSection, NOT_RECORDED, securitySection } from './sections.ts';
import { datedCells, sumCells } from './series-points.ts';
import { projectVerdict } from './verdict.ts';

export interface DashboardOptions {
  now: Date;
  /** Show one capability (a rollup label). */
  capability?: string | null;
  /** First UTC day number to include in counts and trends. */
  since?: number | null;
  health?: HealthInfo;
}

/** A capability the rollup does not hold: carries the names it does hold. */
export class UnknownCapabilityError extends Error {
  constructor(
    readonly capability: string,
    readonly known: readonly string[],
  ) {
    super(`unknown capability "${capability}"`);
    this.name = 'UnknownCapabilityError';
  }
}

/** Figures the rollup keeps without days: with `since` they are still all-time. */
const ALL_TIME = [
  'capabilities[].quality',
  'capabilities[].durationMs',
  'capabilities[].retrySuccess',
  'failures',
  'security',
  'patterns',
  'decisions',
  'experts[].confidence',
  'experts[].agreement',
  'calibration',
];

/**
 * The dashboard model from a rollup and nothing else (plus what the caller knows about stores and
 * hooks). Pure: the clock comes in. Its cost depends on the number of labels and days kept, never on
 * how many events the rollup has seen.
 */
export function computeDashboard(rollup: Rollup, o: DashboardOptions): Dashboard {
  const only = o.capability ?? null;
  const since = o.since ?? null;
  const allCaps = Object.entries(rollup.capabilities);
  if (only !== null && !Object.hasOwn(rollup.capabilities, only)) {
    throw new UnknownCapabilityError(only, allCaps.map(([name]) => name).sort());
  }
  const caps: [string, CapabilityCell][] =
    only === null ? allCaps : allCaps.filter(([name]) => name === only);
  const workflows: [string, WorkflowCell][] = Object.entries(rollup.workflows);
  const experts: [string, ExpertCell][] = Object.entries(rollup.experts);

  const runsOf = (c: CapabilityCell) => (since === null ? c.runs : sumCells(datedCells(c.series, since))[0]);
  const allRuns = allCaps.reduce((s, [, c]) => s + runsOf(c), 0);
  const capabilities = caps
    .map(([name, c]) => capabilityReport(name, c, allRuns, since))
    .sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name));
  const tasks = capabilities.reduce((s, c) => s + c.runs, 0);
  const hasTasks = caps.some(([, c]) => c.runs > 0);
  const expertDomains = experts
    .map(([domain, e]) => expertDomain(domain, e, since))
    .sort((a, b) => b.consultations - a.consultations || a.domain.localeCompare(b.domain));
  const calibration = calibrationSection(experts);
  const health = healthSection(rollup, o.health ?? {});
  const workflowRuns =
    since === null
      ? rollup.workflowRuns
      : workflows.reduce((s, [, w]) => s + sumCells(datedCells(w.series, since))[0], 0);
  const consultations = expertDomains.reduce((s, d) => s + d.consultations, 0);
  const verdict = projectVerdict({
    capabilities,
    calibration,
    health,
    tasks,
    since: since === null ? null : isoDay(since),
    capabilityFilter: only,
  });
  const first =
    rollup.firstDay === null ? null : since === null ? rollup.firstDay : Math.max(rollup.firstDay, since);
  const last = rollup.lastDay;
  const inPeriod = first !== null && last !== null && first <= last;
  return {
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    generatedAt: o.now.toISOString(),
    verdict,
    filter: {
      capability: only,
      since: since === null ? null : isoDay(since),
      allTime: since === null ? [] : [...ALL_TIME],
    },
    period: {
      firstDay: inPeriod ? isoDay(first) : null,
      lastDay: inPeriod ? isoDay(last) : null,
      days: inPeriod ? last - first + 1 : 0,
    },
    totals: {
      tasks,
      successes: capabilities.reduce((s, c) => s + c.successes, 0),
      failures: capabilities.reduce((s, c) => s + c.failures, 0),
      skips: capabilities.reduce((s, c) => s + c.skips, 0),
      workflowRuns,
      consultations,
      capabilities: capabilities.length,
      workflowTypes: workflows.length,
      expertDomains: experts.length,
    },
    capabilities,
    failures: failureAnalysis(caps, workflows, only),
    security: securitySection(caps, rollup.provided, hasTasks),
    patterns: countsSection(
      caps,
      (c) => c.patterns,
      rollup.provided.patterns,
      hasTasks,
      NOT_RECORDED.patterns,
    ),
    decisions: countsSection(
      caps,
      (c) => c.decisions,
      rollup.provided.decisions,
      hasTasks,
      NOT_RECORDED.decisions,
    ),
    experts: expertDomains,
    calibration,
    health,
    method: { ...METHOD },
  };
}
