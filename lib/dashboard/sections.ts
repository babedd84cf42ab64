import type { CountsSection, Security } from '../../schema/dashboard.ts';
import type { CapabilityCell, Counts, Provided } from '../../schema/rollup.ts';
import { ranked } from './failures.ts';

/** Why a section is empty, in words a user can act on. */
export const NOT_RECORDED = {
  patterns:
    'not recorded by this framework version: TappsCodingAgents keeps learned patterns and anti-patterns in memory ' +
    'only (AgentLearner) and writes them to no store, so no collected event carries them',
  decisions:
    'not recorded by this framework version: TappsCodingAgents keeps its decision logs in memory only and writes ' +
    'them to no store, so no collected event carries them',
  security:
    "not recorded by this framework version: TappsCodingAgents keeps its security scan results (AgentLearner's " +
    'security score) in memory only; no store it writes carries per-rule findings',
  noData: 'no task recorded yet',
} as const;

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

function severityRank(s: string): number {
  const i = SEVERITY_ORDER.indexOf(s);
  return i < 0 ? SEVERITY_ORDER.length : i;
}

/** Security findings by rule and severity; "not recorded" when no event ever carried findings. */
export function securitySection(
  caps: readonly [string, CapabilityCell][],
  provided: Provided,
  hasTasks: boolean,
): Security {
  const rules = new Map<string, { rule: string; severity: string; count: number; capabilities: string[] }>();
  const severities = new Map<string, number>();
  let total = 0;
  for (const [name, c] of caps) {
    for (const [key, n] of Object.entries(c.security)) {
      if (!(n > 0)) continue;
      const bar = key.lastIndexOf('|');
      const rule = bar > 0 ? key.slice(0, bar) : key;
      const severity = bar > 0 ? key.slice(bar + 1) : 'unknown';
      const r = rules.get(key) ?? { rule, severity, count: 0, capabilities: [] };
      r.count += n;
      r.capabilities.push(name);
      rules.set(key, r);
      severities.set(severity, (severities.get(severity) ?? 0) + n);
      total += n;
    }
  }
  const byRule = [...rules.values()]
    .map((r) => ({ ...r, capabilities: r.capabilities.sort() }))
    .sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        b.count - a.count ||
        a.rule.localeCompare(b.rule),
    );
  const bySeverity = [...severities]
    .map(([severity, count]) => ({ severity, count }))
    .sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity) || a.severity.localeCompare(b.severity),
    );
  const recorded = provided.security > 0;
  return {
    state: !recorded ? 'not-recorded' : total > 0 ? 'recorded' : 'empty',
    reason: recorded ? null : hasTasks ? NOT_RECORDED.security : NOT_RECORDED.noData,
    total,
    bySeverity,
    byRule,
  };
}

/** Pattern types or decision kinds, overall and per capability. */
export function countsSection(
  caps: readonly [string, CapabilityCell][],
  pick: (c: CapabilityCell) => Counts,
  providedCount: number,
  hasTasks: boolean,
  notRecorded: string,
): CountsSection {
  const totals = new Map<string, number>();
  const byCapability: CountsSection['byCapability'] = [];
  for (const [capability, c] of caps) {
    for (const [label, count] of ranked(pick(c))) {
      totals.set(label, (totals.get(label) ?? 0) + count);
      byCapability.push({ capability, label, count });
    }
  }
  const byLabel = [...totals]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const total = byLabel.reduce((s, x) => s + x.count, 0);
  const recorded = providedCount > 0;
  return {
    state: !recorded ? 'not-recorded' : total > 0 ? 'recorded' : 'empty',
    reason: recorded ? null : hasTasks ? notRecorded : NOT_RECORDED.noData,
    total,
    byLabel,
    byCapability,
  };
}
