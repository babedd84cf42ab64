import type { Calibration, CapabilityReport, Health, ProjectVerdict } from '../../schema/dashboard.ts';
import { formatCount, formatPercent, formatPoints } from './format.ts';
import { METHOD } from './method.ts';

/** How many names a one-line reason lists before "and N more". */
const NAMED = 3;

export interface VerdictInput {
  capabilities: readonly CapabilityReport[];
  calibration: Calibration;
  health: Health;
  tasks: number;
  since: string | null;
  capabilityFilter: string | null;
}

/**
 * The project's verdict: learning is active when at least one capability improves and no more
 * degrade than improve; stalled when capabilities have enough data and none improves (or more
 * degrade); otherwise there is nothing, or not enough, to judge. The reason names the drivers.
 *
 * A dashboard tests every capability at once: of 64 unchanged capabilities, one in four projects
 * would show one "improving" by chance at 99% each. So a capability drives the project verdict only
 * when its trend also survives the Holm correction across all capabilities tested (family-wise
 * error at most METHOD.familywiseError); the others are listed as within chance.
 */
export function projectVerdict(input: VerdictInput): ProjectVerdict {
  const { capabilities: caps } = input;
  const by = (verdict: string) => caps.filter((c) => c.verdict.verdict === verdict);
  const surviving = holmSurvivors(
    caps.filter((c) => c.verdict.verdict !== 'not-enough-data'),
    METHOD.familywiseError,
  );
  const clear = (verdict: string) => by(verdict).filter((c) => surviving.has(c));
  const improving = byChange(clear('improving'));
  const degrading = byChange(clear('degrading'));
  const withinChance = byChange([...by('improving'), ...by('degrading')].filter((c) => !surviving.has(c)));
  const flat = by('flat');
  const waiting = by('not-enough-data').sort((a, b) => needed(a) - needed(b) || b.runs - a.runs);
  const overconfident = input.calibration.domains.filter((d) => d.verdict === 'over-confident');
  const notes = notesOf(input, overconfident);
  const tested = caps.length - waiting.length;
  if (withinChance.length > 0) {
    notes.unshift(
      `${names(withinChance, (c) => ` ${c.verdict.verdict}`)}: within what chance gives across ${tested} capabilities tested`,
    );
  }
  const lists = {
    improving: improving.map((c) => c.name),
    degrading: degrading.map((c) => c.name),
    flat: flat.map((c) => c.name),
    withinChance: withinChance.map((c) => c.name),
    notEnoughData: waiting.map((c) => c.name),
    overconfidentDomains: overconfident.map((d) => d.domain),
    notes,
  };
  if (input.tasks === 0) {
    return { status: 'not-recorded', reason: notRecordedReason(input), ...lists, runsNeeded: null };
  }
  if (improving.length > 0 && improving.length >= degrading.length) {
    const reason =
      `improving: ${names(improving, describe)}` +
      (degrading.length > 0 ? `; degrading: ${names(degrading, describe)}` : '');
    return { status: 'learning-active', reason, ...lists, runsNeeded: null };
  }
  if (tested > 0) {
    const parts: string[] = [];
    if (degrading.length > 0) parts.push(`degrading: ${names(degrading, describe)}`);
    parts.push(
      improving.length > 0 ? `improving only: ${names(improving, describe)}` : 'no capability improves',
    );
    if (flat.length > 0 && degrading.length === 0) parts.push(`flat: ${names(flat, () => '')}`);
    return { status: 'stalled', reason: parts.join('; '), ...lists, runsNeeded: null };
  }
  const closest = waiting[0];
  const runsNeeded = closest ? closest.successTrend.runsNeeded : null;
  const reason =
    `${formatCount(input.tasks)} tasks in ${caps.length} capabilit${caps.length === 1 ? 'y' : 'ies'}, none with enough data for a trend` +
    (closest && runsNeeded !== null
      ? `; ${closest.name} needs about ${formatCount(runsNeeded)} more runs`
      : '') +
    (closest && runsNeeded === null ? `; ${closest.name} needs runs on more days` : '');
  return { status: 'not-enough-data', reason, ...lists, runsNeeded };
}

function byChange(caps: CapabilityReport[]): CapabilityReport[] {
  return caps.sort((a, b) => Math.abs(changeOf(b)) - Math.abs(changeOf(a)) || a.name.localeCompare(b.name));
}

function changeOf(c: CapabilityReport): number {
  const t = c.verdict.basis === 'quality' ? c.qualityTrend : c.successTrend;
  return (t.change?.estimate ?? 0) / (c.verdict.basis === 'quality' ? 100 : 1);
}

function describe(c: CapabilityReport): string {
  const t = c.verdict.basis === 'quality' ? c.qualityTrend : c.successTrend;
  if (!t.change) return '';
  const what = c.verdict.basis === 'quality' ? 'quality' : 'success';
  return ` (${what} ${formatPoints(t.change.estimate, c.verdict.basis !== 'quality')} over ${t.spanDays} days)`;
}

function needed(c: CapabilityReport): number {
  return c.successTrend.runsNeeded ?? Number.MAX_SAFE_INTEGER;
}

function names(caps: readonly CapabilityReport[], detail: (c: CapabilityReport) => string): string {
  const shown = caps.slice(0, NAMED).map((c) => `${c.name}${detail(c)}`);
  const more = caps.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function notRecordedReason(input: VerdictInput): string {
  if (input.capabilityFilter)
    return `no task of ${input.capabilityFilter} recorded${input.since ? ` since ${input.since}` : ''}`;
  if (input.since) return `no task recorded since ${input.since}`;
  const hooks = input.health.hooks;
  const live = input.health.stores.some((s) => s.state === 'live');
  if (hooks && !hooks.collector)
    return 'no task recorded yet: the collector hook is not installed (run: tapps-agents learning install-hooks)';
  if (live) return 'no task recorded yet: the stores read so far hold workflows or consultations only';
  return 'no task recorded yet: run a tapps-agents workflow, then tapps-agents learning collect';
}

function notesOf(input: VerdictInput, overconfident: Calibration['domains']): string[] {
  const notes: string[] = [];
  for (const d of overconfident.slice(0, NAMED)) {
    notes.push(
      `experts in ${d.domain} are over-confident: they state ${formatPercent(d.meanConfidence)} and their advised steps ` +
        `succeed ${formatPercent(d.successRate?.estimate)} of the time`,
    );
  }
  if (overconfident.length > NAMED)
    notes.push(`${overconfident.length - NAMED} more expert domains are over-confident`);
  const hooks = input.health.hooks;
  if (hooks && !hooks.collector && input.tasks > 0)
    notes.push(
      'the collector hook is not installed: new framework runs are not collected (tapps-agents learning install-hooks)',
    );
  const skipped = input.health.stores.filter((s) => s.skipped > 0);
  if (skipped.length > 0) {
    const n = skipped.reduce((s, x) => s + x.skipped, 0);
    notes.push(
      `${formatCount(n)} malformed records skipped in ${skipped.map((s) => s.store).join(', ')} (see: tapps-agents learning status)`,
    );
  }
  const overflow = input.health.overflow.reduce((s, x) => s + x.count, 0);
  if (overflow > 0)
    notes.push(`${formatCount(overflow)} observations went to __other__ because a label limit was reached`);
  return notes;
}

/**
 * Holm–Bonferroni step-down: the capabilities whose trend p-value (of the trend that decides their
 * verdict) stays significant when `alpha` is shared among all of them.
 */
export function holmSurvivors(caps: readonly CapabilityReport[], alpha: number): Set<CapabilityReport> {
  const ranked = caps
    .map((c) => ({ c, p: (c.verdict.basis === 'quality' ? c.qualityTrend : c.successTrend).p ?? 1 }))
    .sort((a, b) => a.p - b.p);
  const out = new Set<CapabilityReport>();
  for (let i = 0; i < ranked.length; i++) {
    const r = ranked[i] as (typeof ranked)[number];
    if (r.p > alpha / (ranked.length - i)) break;
    out.add(r.c);
  }
  return out;
}
